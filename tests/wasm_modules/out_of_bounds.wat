;; Breaks the rule: the payload lies inside the memory (one page, 65536 bytes).
(module
  (memory (export "memory") 1 1)
  (func (export "scenario_ptr") (result i32) i32.const 65530)
  (func (export "scenario_len") (result i32) i32.const 10))
