;; Breaks the rule: no memory64 (needs wat2wasm --enable-memory64).
(module
  (memory (export "memory") i64 1 1)
  (func (export "scenario_ptr") (result i32) i32.const 0)
  (func (export "scenario_len") (result i32) i32.const 0))
