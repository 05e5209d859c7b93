#pragma once
// The TLS of the gRPC link (DistributedPlan's tls_cert, tls_key, tls_ca): the credentials of
// an agent's channel and of the controller's server. No TLS file set: plaintext.
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>

#include "plan/distributed.h"
#include "plan/result.h"

namespace strest::dist {

// Agent: tls_ca verifies the controller, tls_cert + tls_key are its client certificate.
Result<std::shared_ptr<grpc::ChannelCredentials>> agent_credentials(const DistributedPlan& plan);
// Controller: tls_cert + tls_key are its certificate; with tls_ca, agents must show a client
// certificate it signed (mutual TLS).
Result<std::shared_ptr<grpc::ServerCredentials>> controller_credentials(
    const DistributedPlan& plan);

}  // namespace strest::dist
