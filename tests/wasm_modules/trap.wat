;; Breaks the rule: the functions return (this one traps).
(module
  (memory (export "memory") 1 1)
  (func (export "scenario_ptr") (result i32) unreachable)
  (func (export "scenario_len") (result i32) i32.const 0))
