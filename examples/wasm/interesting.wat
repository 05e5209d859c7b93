;; A five-step scenario for the built-in target (`strest target --listen 127.0.0.1:8080`):
;; health check, log in and extract the token, search, open an item, check out with the token.
;; Built into build/examples/wasm/interesting.wasm by CMake (wat2wasm); run it with
;;   strest --script build/examples/wasm/interesting.wasm -d 10s
;; scenario_len really runs: it counts the bytes up to the NUL that ends the JSON.
(module
  (memory (export "memory") 1 1)
  (data (i32.const 16)
    "{\"schema_version\":1,"
    "\"base_url\":\"http://127.0.0.1:8080\","
    "\"vars\":{\"user\":\"demo\",\"query\":\"shoes\"},"
    "\"steps\":["
    "{\"name\":\"health\",\"path\":\"/health\",\"assert_status\":200},"
    "{\"name\":\"login\",\"method\":\"post\",\"path\":\"/login\","
    "\"headers\":[\"Content-Type: application/json\"],"
    "\"data\":\"{\\\"user\\\":\\\"{{user}}\\\",\\\"seq\\\":{{seq}}}\","
    "\"assert_status\":200,\"extract\":{\"token\":\"json:$.token\"}},"
    "{\"name\":\"search\",\"path\":\"/search?q={{query}}\",\"assert_status\":200},"
    "{\"name\":\"item\",\"path\":\"/items/{{seq}}\",\"assert_status\":200},"
    "{\"name\":\"checkout\",\"method\":\"post\",\"path\":\"/checkout\","
    "\"headers\":[\"Authorization: Bearer {{token}}\",\"Content-Type: application/json\"],"
    "\"data\":\"{\\\"item\\\":{{seq}}}\",\"assert_status\":200}"
    "]}\00")
  (func (export "scenario_ptr") (result i32)
    i32.const 16)
  ;; The length of the NUL-terminated JSON at scenario_ptr.
  (func (export "scenario_len") (result i32)
    (local $end i32)
    (local.set $end (i32.const 16))
    (block $done
      (loop $scan
        (br_if $done (i32.eqz (i32.load8_u (local.get $end))))
        (local.set $end (i32.add (local.get $end) (i32.const 1)))
        (br $scan)))
    (i32.sub (local.get $end) (i32.const 16))))
