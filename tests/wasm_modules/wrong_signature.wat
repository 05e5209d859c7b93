;; Breaks the rule: scenario_len is () -> i32.
(module
  (memory (export "memory") 1 1)
  (func (export "scenario_ptr") (result i32) i32.const 0)
  (func (export "scenario_len") (param i32) (result i64) i64.const 0))
