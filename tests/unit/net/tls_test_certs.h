#pragma once
// Certificates made with OpenSSL at test time, so no key material is committed and none
// expires: a CA, a server certificate for localhost, 127.0.0.1 and ::1 signed by it, a client
// certificate signed by it, and a self-signed server certificate. They are written once per
// test binary as PEM files into a temporary directory that is removed at exit.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

namespace strest::test {

template <auto free_function>
struct OpenSslFree {
  template <typename T>
  void operator()(T* object) const {
    free_function(object);
  }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree<EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, OpenSslFree<X509_free>>;

struct TestCertFiles {
  std::string ca_cert;
  std::string server_cert;  // localhost, 127.0.0.1, ::1; signed by ca_cert
  std::string server_key;
  std::string client_cert;  // signed by ca_cert
  std::string client_key;
  std::string self_signed_cert;  // localhost, signed by its own key
  std::string self_signed_key;
  std::string not_pem;  // a readable file with no PEM in it
};

namespace detail {

inline void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificates: ") + what + " failed");
}

inline KeyPtr make_key() {
  KeyPtr key(EVP_EC_gen("P-256"));  // EC: generated in microseconds, unlike RSA
  check(key != nullptr, "EVP_EC_gen");
  return key;
}

inline void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  check(extension != nullptr && X509_add_ext(cert, extension, -1) == 1, "X509_add_ext");
  X509_EXTENSION_free(extension);
}

struct CertSpec {
  const char* common_name;
  const char* subject_alt_names = nullptr;  // "DNS:localhost,IP:127.0.0.1"
  bool ca = false;
};

// Signed by issuer/issuer_key, or self-signed when issuer is null. A self-signed leaf has no
// extensions besides its names, so OpenSSL reports it as "self-signed certificate".
inline CertPtr make_cert(const CertSpec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key) {
  static long serial = 1;
  CertPtr cert(X509_new());
  check(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(spec.common_name), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  if (spec.ca) {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else if (issuer != nullptr) {
    add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
  }
  if (spec.subject_alt_names != nullptr) {
    add_extension(cert.get(), signer, NID_subject_alt_name, spec.subject_alt_names);
  }
  check(X509_sign(cert.get(), issuer_key != nullptr ? issuer_key : key, EVP_sha256()) > 0,
        "X509_sign");
  return cert;
}

inline void write_pem(const std::string& path, X509* cert, EVP_PKEY* key) {
  FILE* file = fopen(path.c_str(), "w");
  check(file != nullptr, "fopen");
  const bool ok = cert != nullptr
                      ? PEM_write_X509(file, cert) == 1
                      : PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  fclose(file);
  check(ok, "PEM_write");
}

// Owns the temporary directory for the life of the test binary.
class TestCertStore {
 public:
  TestCertStore() {
    std::string pattern = (std::filesystem::temp_directory_path() / "strest_tls_XXXXXX").string();
    check(mkdtemp(pattern.data()) != nullptr, "mkdtemp");
    dir_ = pattern;
    const KeyPtr ca_key = make_key();
    const CertPtr ca = make_cert({"strest test CA", nullptr, true}, ca_key.get(), nullptr, nullptr);
    files_.ca_cert = save("ca.pem", ca.get(), nullptr);
    const char* server_names = "DNS:localhost,IP:127.0.0.1,IP:::1";
    issue("server", {"localhost", server_names}, ca.get(), ca_key.get(), files_.server_cert,
          files_.server_key);
    issue("client", {"strest test client"}, ca.get(), ca_key.get(), files_.client_cert,
          files_.client_key);
    issue("self_signed", {"localhost", "DNS:localhost"}, nullptr, nullptr, files_.self_signed_cert,
          files_.self_signed_key);
    files_.not_pem = (dir_ / "not_pem.txt").string();
    std::ofstream(files_.not_pem) << "not a certificate\n";
  }
  ~TestCertStore() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  TestCertStore(const TestCertStore&) = delete;
  TestCertStore& operator=(const TestCertStore&) = delete;

  const TestCertFiles& files() const { return files_; }

 private:
  std::string save(const std::string& name, X509* cert, EVP_PKEY* key) {
    const std::string path = (dir_ / name).string();
    write_pem(path, cert, key);
    return path;
  }
  void issue(const std::string& name, const CertSpec& spec, X509* issuer, EVP_PKEY* issuer_key,
             std::string& cert_path, std::string& key_path) {
    const KeyPtr key = make_key();
    const CertPtr cert = make_cert(spec, key.get(), issuer, issuer_key);
    cert_path = save(name + ".pem", cert.get(), nullptr);
    key_path = save(name + ".key", nullptr, key.get());
  }

  std::filesystem::path dir_;
  TestCertFiles files_;
};

}  // namespace detail

// Made on first use, removed when the test binary exits.
inline const TestCertFiles& test_cert_files() {
  static const detail::TestCertStore store;
  return store.files();
}

}  // namespace strest::test
