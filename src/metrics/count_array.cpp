#include "metrics/count_array.h"

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace strest {

namespace {

// From this size on, arrays are mapped: the kernel zero-fills each page on its first write, and
// pages never written stay out of the resident set. Smaller ones come from calloc.
constexpr size_t kMapBytes = 16 * 1024;

}  // namespace

CountArray::CountArray(size_t size) : size_(size) {
  if (size == 0) return;
  const size_t bytes = size * sizeof(int64_t);
  if (bytes >= kMapBytes) {
    void* memory = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) throw std::bad_alloc();
    data_ = static_cast<int64_t*>(memory);
    mapped_ = true;
    return;
  }
  data_ = static_cast<int64_t*>(std::calloc(size, sizeof(int64_t)));
  if (data_ == nullptr) throw std::bad_alloc();
}

CountArray::CountArray(const CountArray& other) : CountArray(other.size_) {
  const size_t used = other.written_length();
  if (used > 0) std::memcpy(data_, other.data_, used * sizeof(int64_t));
}

CountArray& CountArray::operator=(const CountArray& other) {
  if (this == &other) return *this;
  if (size_ != other.size_) {
    CountArray copy(other);
    *this = std::move(copy);
    return *this;
  }
  clear_prefix(written_length());
  const size_t used = other.written_length();
  if (used > 0) std::memcpy(data_, other.data_, used * sizeof(int64_t));
  return *this;
}

CountArray::CountArray(CountArray&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      mapped_(std::exchange(other.mapped_, false)) {}

CountArray& CountArray::operator=(CountArray&& other) noexcept {
  if (this == &other) return *this;
  release();
  data_ = std::exchange(other.data_, nullptr);
  size_ = std::exchange(other.size_, 0);
  mapped_ = std::exchange(other.mapped_, false);
  return *this;
}

CountArray::~CountArray() { release(); }

void CountArray::clear_prefix(size_t count) {
  if (count > 0) std::memset(data_, 0, count * sizeof(int64_t));
}

size_t CountArray::written_length() const {
  // Reading a page never written maps the shared zero page: the scan adds nothing resident.
  size_t length = size_;
  while (length > 0 && data_[length - 1] == 0) --length;
  return length;
}

void CountArray::release() {
  if (data_ == nullptr) return;
  if (mapped_) {
    munmap(data_, size_ * sizeof(int64_t));
  } else {
    std::free(data_);
  }
  data_ = nullptr;
  size_ = 0;
  mapped_ = false;
}

}  // namespace strest
