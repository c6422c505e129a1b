// BigVector: a std::vector for the roll-up's large scratch arrays and results. Blocks of 2 MiB
// and more ask the kernel for transparent huge pages, and the largest are kept for reuse when
// freed (BigBlocks), so a process that rolls up again (the server, after each write) does not
// page-fault its way through hundreds of megabytes each time.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace cascade {

// Blocks of kHugePage bytes and more, aligned to it, with MADV_HUGEPAGE: the roll-up of 1,000,000
// goals reaches at random into tables of tens of megabytes, and with 4 KiB pages nearly every such
// reach also missed the TLB. glibc keeps freed blocks of up to 32 MiB for reuse; larger ones it
// returns to the kernel at once, and every new one then costs a page fault per page (on the
// benchmark machine, a VM, faulting in fresh memory runs at 0.7–2 GB/s). Freed blocks of 32 MiB
// and more are kept here instead, up to kMaxKept bytes in all, and handed out again for a request
// of the same size or up to a quarter smaller.
class BigBlocks {
 public:
  static constexpr size_t kHugePage = size_t{2} << 20;
  static constexpr size_t kMinKept = size_t{32} << 20;
  static constexpr size_t kMaxKept = size_t{1} << 30;

  static void* Allocate(size_t bytes);
  static void Free(void* p, size_t bytes);
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
    if (bytes < BigBlocks::kHugePage) {
      return static_cast<T*>(::operator new(bytes, std::align_val_t{alignof(T)}));
    }
    return static_cast<T*>(BigBlocks::Allocate(bytes));
  }
  void deallocate(T* p, size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < BigBlocks::kHugePage) {
      ::operator delete(p, std::align_val_t{alignof(T)});
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
