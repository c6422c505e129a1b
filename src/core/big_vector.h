// BigVector: a std::vector for the roll-up's large scratch arrays and results. Its blocks are
// kept for reuse when freed (BigBlocks), so a process that rolls up again (the server, after each
// write) does not page-fault its way through them each time, and those of 2 MiB and more ask the
// kernel for transparent huge pages.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace cascade {

// The blocks of BigVectors of kMinKept bytes and more. Those of kHugePage bytes and more are
// aligned to it and advised MADV_HUGEPAGE: the roll-up of 1,000,000 goals reaches at random into
// tables of tens of megabytes, and with 4 KiB pages nearly every such reach also missed the TLB.
//
// A process that rolls up again and again (the server, after each write) asks to keep freed
// blocks (Keep(true)): they are then held, up to kMaxKept bytes in all, and handed out again for
// a request of the same size or up to a quarter smaller. glibc returns large blocks to the
// kernel (at once above its mmap threshold, which moves with what the process did before), and
// every new block then costs a page fault per page, which on the benchmark machine (a VM) fills
// fresh memory at 0.7–2 GB/s, as slow as the roll-up itself. A command that rolls up once keeps
// nothing: its peak memory is what it uses.
class BigBlocks {
 public:
  static constexpr size_t kMinKept = size_t{64} << 10;
  static constexpr size_t kHugePage = size_t{2} << 20;
  static constexpr size_t kMaxKept = size_t{1} << 30;

  static void* Allocate(size_t bytes);
  static void Free(void* p, size_t bytes);
  // Whether freed blocks are kept from now on (default: no). Keep(false) also releases them.
  static void Keep(bool keep);
  // Bytes held for reuse; Release returns them all to the kernel.
  static size_t Kept();
  static void Release();
};

template <typename T>
struct HugePageAllocator {
  using value_type = T;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT(google-explicit-constructor)

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < BigBlocks::kMinKept) {
      return static_cast<T*>(::operator new (bytes, std::align_val_t{alignof(T)}));
    }
    return static_cast<T*>(BigBlocks::Allocate(bytes));
  }
  void deallocate(T* p, size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < BigBlocks::kMinKept) {
      ::operator delete (p, std::align_val_t{alignof(T)});
    } else {
      BigBlocks::Free(p, bytes);
    }
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

template <typename T>
using BigVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace cascade
