;; Breaks the rule: a maximum of at most 128 pages.
(module
  (memory (export "memory") 1 129)
  (func (export "scenario_ptr") (result i32) i32.const 0)
  (func (export "scenario_len") (result i32) i32.const 0))
