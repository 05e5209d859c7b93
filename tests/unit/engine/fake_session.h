#pragma once
// A Session scripted by the test, for driving a Worker without sockets: it records what the
// worker asks of it (opens, submits, abandons, closes), and the test plays the connection's part
// by calling the listener the way a real session does (ready, sent, first byte, response,
// failures, close).
#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/worker.h"
#include "net/session.h"

namespace strest {

// How a FakeSession behaves where the worker cannot tell it what to do.
struct FakeBehaviour {
  // What open() answers (kNone: the connection is under way).
  TransportError open_error = TransportError::kNone;
  // abandon() resets only the stream (HTTP/2) when true, else closes the connection (HTTP/1.1).
  bool abandon_resets_stream = false;
  // Requests the connection takes at once (one for HTTP/1.1).
  size_t capacity = 1;
};

class FakeSession final : public Session {
 public:
  FakeSession(const SessionContext& context, uint32_t connection, FakeBehaviour behaviour)
      : behaviour(behaviour), listener_(*context.listener), connection_(connection) {}

  FakeBehaviour behaviour;

  int opens = 0;
  int closes = 0;
  int send_pending_calls = 0;
  std::vector<uint32_t> submitted;  // every submit, in order
  std::vector<uint64_t> sequences;  // their sequence numbers
  std::vector<RequestParts> built;  // the requests built per slot (scenario steps), in order
  std::vector<uint32_t> in_flight;  // submitted and not yet answered, failed or abandoned
  std::vector<uint32_t> abandoned;

  TransportError open(int64_t) override {
    ++opens;
    in_flight.clear();
    ready_ = false;
    return behaviour.open_error;
  }
  bool accepting() const override { return ready_ && in_flight.size() < behaviour.capacity; }
  void submit(uint32_t slot, uint32_t, uint64_t sequence, int64_t) override {
    submitted.push_back(slot);
    sequences.push_back(sequence);
    in_flight.push_back(slot);
  }
  void submit_built(uint32_t slot, const RequestParts& request, uint64_t sequence,
                    int64_t now) override {
    built.push_back(request);
    submit(slot, 0, sequence, now);
  }
  void send_pending(int64_t) override { ++send_pending_calls; }
  void on_io(uint32_t, int64_t) override {}
  bool abandon(uint32_t slot, int64_t) override {
    abandoned.push_back(slot);
    forget(slot);
    if (behaviour.abandon_resets_stream) return true;
    close();
    return false;
  }
  void close() override {
    ++closes;
    ready_ = false;
    in_flight.clear();
  }

  // The script: what the connection reports.
  void ready(int64_t now, Protocol protocol = Protocol::kHttp1) {
    ready_ = true;
    OpenedTimes opened;
    opened.connected_us = now;
    opened.handshake_us = now;
    opened.protocol = protocol;
    listener_.on_session_ready(connection_, opened, now);
  }
  void sent(uint32_t slot, uint64_t bytes, int64_t now) {
    listener_.on_request_sent(slot, bytes, now);
  }
  void first_byte(uint32_t slot, int64_t now) { listener_.on_first_byte(slot, now); }
  // A captured response: header fields and body go to the listener first.
  void respond_with(uint32_t slot, int status,
                    const std::vector<std::pair<std::string, std::string>>& headers,
                    std::string_view body, int64_t now) {
    for (const auto& [name, value] : headers) listener_.on_response_header(slot, name, value);
    if (!body.empty()) listener_.on_response_body(slot, body);
    respond(slot, status, body.size(), now);
  }
  void respond(uint32_t slot, int status, uint64_t bytes, int64_t now) {
    forget(slot);
    listener_.on_response(slot, status, bytes, now);
  }
  void stream_failed(uint32_t slot, TransportError kind, int64_t now) {
    forget(slot);
    listener_.on_stream_failed(slot, kind, 0, "", now);
  }
  void peer_closed(TransportError kind, int64_t now, std::string_view detail = "") {
    ready_ = false;
    in_flight.clear();
    listener_.on_session_closed(connection_, kind, detail, now);
  }

 private:
  void forget(uint32_t slot) { std::erase(in_flight, slot); }

  SessionListener& listener_;
  const uint32_t connection_;
  bool ready_ = false;
};

// Makes FakeSessions for a worker and keeps a pointer to each (the worker owns them), so the
// test can script connection c as sessions[c].
class FakeSessions {
 public:
  explicit FakeSessions(FakeBehaviour behaviour = {}) : behaviour_(behaviour) {}

  SessionFactory factory() {
    return [this](const SessionContext& context, uint32_t connection) {
      auto session = std::make_unique<FakeSession>(context, connection, behaviour_);
      made_.push_back(session.get());
      return std::unique_ptr<Session>(std::move(session));
    };
  }
  FakeSession& operator[](size_t connection) { return *made_.at(connection); }
  size_t size() const { return made_.size(); }

 private:
  FakeBehaviour behaviour_;
  std::vector<FakeSession*> made_;
};

}  // namespace strest
