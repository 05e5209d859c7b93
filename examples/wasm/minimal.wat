;; The smallest scenario script: one GET /health step. No base_url, so it runs against --url
;; (or the built-in target under `strest demo`):
;;   strest demo --script build/examples/wasm/minimal.wasm -d 5s
(module
  (memory (export "memory") 1 1)
  (data (i32.const 0) "{\"schema_version\":1,\"steps\":[{\"path\":\"/health\",\"assert_status\":200}]}")
  (func (export "scenario_ptr") (result i32) i32.const 0)
  (func (export "scenario_len") (result i32) i32.const 69))
