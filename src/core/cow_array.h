// CowArray: a roll-up's per-goal and per-KPI results, in chunks shared copy-on-write between
// copies. The server keeps a roll-up per snapshot and makes the next one after each write by
// copying the one before and computing again what the write touched: copying a CowArray copies a
// plain pointer a chunk and a shared one per 64 chunks (not 152 bytes a goal: 15 MB at 100,000
// goals, most of a check-in POST's time), and the first write to a chunk of the copy clones that
// chunk alone (and its group of pointers: SharedChunks).
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <memory>
#include <span>
#include <vector>

#include "core/big_vector.h"
#include "core/shared_chunks.h"

namespace cascade {

template <typename T>
class CowArray {
 public:
  static constexpr size_t kShift = 10;
  static constexpr size_t kChunk = size_t{1} << kShift;  // elements a chunk

  CowArray() = default;
  // Takes `all` over without copying it: its elements are the array's, chunk by chunk.
  explicit CowArray(BigVector<T>&& all) { Adopt(std::move(all)); }
  CowArray& operator=(BigVector<T>&& all) {
    Adopt(std::move(all));
    return *this;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](size_t i) const { return chunks_[i >> kShift][i & (kChunk - 1)]; }
  // The element, writable: its chunk is cloned first when another copy shares it.
  T& operator[](size_t i) { return Writable(i >> kShift)[i & (kChunk - 1)]; }

  // The elements chunk by chunk (kChunk each, the last perhaps fewer), read-only: a scan of the
  // whole array without the chunk arithmetic of each element's operator[].
  size_t chunk_count() const { return chunks_.size(); }
  std::span<const T> chunk(size_t c) const {
    return {chunks_[c], std::min(kChunk, size_ - (c << kShift))};
  }

  // Adds `n` value-initialised elements at the end (the last chunk is cloned first when it has
  // room: another copy may share it).
  void Append(size_t n) {
    const size_t used = size_ & (kChunk - 1);
    if (used != 0 && n != 0) {
      const size_t c = size_ >> kShift;
      std::shared_ptr<T[]> copy = std::make_shared<T[]>(kChunk);
      std::copy(chunks_[c], chunks_[c] + used, copy.get());
      chunks_[c] = copy.get();
      owned_.Own(c) = std::move(copy);
    }
    size_ += n;
    while ((chunks_.size() << kShift) < size_) {
      std::shared_ptr<T[]> chunk = std::make_shared<T[]>(kChunk);
      chunks_.push_back(chunk.get());
      owned_.push_back(std::move(chunk));
    }
  }

  // Puts `value` at `pos` (at most size()), moving those from there on one place down. The chunks
  // before `pos`'s stay shared; only those from it on are written (cloned).
  void Insert(size_t pos, T value) {
    Append(1);
    for (size_t i = size_ - 1; i > pos; --i) {
      T moved = static_cast<const CowArray&>(*this)[i - 1];
      (*this)[i] = std::move(moved);
    }
    (*this)[pos] = std::move(value);
  }

  // Removes the elements at `positions` (ascending, each < size()), the others moving up. The
  // chunks before the first stay shared; only those from it on are written (cloned).
  template <typename Positions>
  void Erase(const Positions& positions) {
    if (positions.empty()) return;
    size_t to = static_cast<size_t>(positions[0]);
    size_t r = 0;
    for (size_t from = to; from < size_; ++from) {
      if (r < positions.size() && static_cast<size_t>(positions[r]) == from) {
        ++r;
        continue;
      }
      T moved = static_cast<const CowArray&>(*this)[from];
      (*this)[to++] = std::move(moved);
    }
    size_ = to;
    const size_t n = (size_ + kChunk - 1) >> kShift;
    chunks_.resize(n);
    owned_.resize(n);
  }

  // Reading in order (range-for, reverse iteration, a copy into a vector).
  class const_iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;
    const_iterator() = default;
    const_iterator(const CowArray* a, size_t i) : a_(a), i_(i) {}
    reference operator*() const { return (*a_)[i_]; }
    pointer operator->() const { return &(*a_)[i_]; }
    const_iterator& operator++() {
      ++i_;
      return *this;
    }
    const_iterator operator++(int) { return const_iterator(a_, i_++); }
    const_iterator& operator--() {
      --i_;
      return *this;
    }
    const_iterator operator--(int) { return const_iterator(a_, i_--); }
    bool operator==(const const_iterator& o) const { return i_ == o.i_; }

   private:
    const CowArray* a_ = nullptr;
    size_t i_ = 0;
  };
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }
  std::reverse_iterator<const_iterator> rbegin() const { return std::reverse_iterator(end()); }
  std::reverse_iterator<const_iterator> rend() const { return std::reverse_iterator(begin()); }

 private:
  void Adopt(BigVector<T>&& all) {
    size_ = all.size();
    base_ = std::make_shared<BigVector<T>>(std::move(all));
    const size_t n = (size_ + kChunk - 1) >> kShift;
    chunks_.resize(n);
    owned_.clear();
    owned_.resize(n);
    for (size_t c = 0; c < n; ++c) chunks_[c] = base_->data() + (c << kShift);
  }

  T* Writable(size_t c) {
    // Only this array refers to the chunk: a copy of the array shares base_ and the chunks' groups
    // with it, so their counts say whether anyone else can see the chunk.
    if (owned_.GroupAlone(c) &&
        (owned_[c] ? owned_[c].use_count() == 1 : base_.use_count() == 1)) {
      return chunks_[c];
    }
    const size_t n = std::min(kChunk, size_ - (c << kShift));
    std::shared_ptr<T[]> copy = std::make_shared<T[]>(n);
    std::copy(chunks_[c], chunks_[c] + n, copy.get());
    chunks_[c] = copy.get();
    owned_.Own(c) = std::move(copy);
    return chunks_[c];
  }

  size_t size_ = 0;
  std::shared_ptr<BigVector<T>> base_;         // the elements as first given
  std::vector<T*> chunks_;                     // each chunk's first element
  SharedChunks<T[]> owned_;                    // a chunk cloned on a write (null: in base_)
};

}  // namespace cascade
