;; Breaks the rule: the payload is UTF-8 (\ff never is).
(module
  (memory (export "memory") 1 1)
  (data (i32.const 0) "{\"a\":\"\ff\"}")
  (func (export "scenario_ptr") (result i32) i32.const 0)
  (func (export "scenario_len") (result i32) i32.const 10))
