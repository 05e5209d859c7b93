;; Breaks the rule: both scenario_ptr and scenario_len are exported.
(module
  (memory (export "memory") 1 1)
  (func (export "scenario_ptr") (result i32) i32.const 0))
