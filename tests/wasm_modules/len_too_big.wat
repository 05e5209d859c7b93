;; Breaks the rule: a payload of at most 1 MB.
(module
  (memory (export "memory") 32 32)
  (func (export "scenario_ptr") (result i32) i32.const 0)
  (func (export "scenario_len") (result i32) i32.const 1048577))
