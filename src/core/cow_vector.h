// CowVector: the vector a Workspace keeps each kind of entity in, in chunks shared copy-on-write
// between copies. The server makes the snapshot after a write from the one before it: copying a
// workspace of 100,000 goals copies a plain pointer per 256 goals and a shared one per 64 chunks
// (not 40 MB of goals and their strings), and the first write to an element of the copy clones
// that element's chunk alone (and its group of pointers: SharedChunks).
// Reading is a std::vector's (index, size, random-access iterators); so is appending.
#pragma once

#include <algorithm>
#include <compare>
#include <concepts>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/shared_chunks.h"

namespace cascade {

template <typename T>
class CowVector {
  using Chunk = std::vector<T>;

 public:
  static constexpr size_t kShift = 8;
  static constexpr size_t kChunk = size_t{1} << kShift;  // elements a chunk

  using value_type = T;
  using size_type = size_t;
  using difference_type = std::ptrdiff_t;
  using reference = T&;
  using const_reference = const T&;

  CowVector() = default;
  CowVector(std::initializer_list<T> items) {
    for (const T& t : items) push_back(t);
  }
  // A std::vector of entities is one (a plan's, a test's). A template, so that a braced list
  // initialises the elements directly rather than a std::vector first.
  template <typename V>
    requires std::same_as<std::remove_cvref_t<V>, std::vector<T>>
  CowVector(V&& items) {  // NOLINT(google-explicit-constructor)
    for (auto& t : items) {
      if constexpr (std::is_lvalue_reference_v<V>) {
        push_back(t);
      } else {
        push_back(std::move(t));
      }
    }
  }
  template <typename It>
  CowVector(It first, It last) {
    for (; first != last; ++first) push_back(*first);
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void reserve(size_t) {}  // chunks are reserved whole
  void clear() {
    raw_.clear();
    owned_.clear();
    size_ = 0;
  }

  const T& operator[](size_t i) const { return (*raw_[i >> kShift])[i & (kChunk - 1)]; }
  // The element, writable: its chunk is cloned first when another copy shares it.
  T& operator[](size_t i) { return Writable(i >> kShift)[i & (kChunk - 1)]; }
  const T& at(size_t i) const {
    if (i >= size_) throw std::out_of_range("CowVector::at");
    return (*this)[i];
  }
  const T& front() const { return (*this)[0]; }
  const T& back() const { return (*this)[size_ - 1]; }
  T& front() { return (*this)[0]; }
  T& back() { return (*this)[size_ - 1]; }

  void push_back(const T& t) { emplace_back(t); }
  void push_back(T&& t) { emplace_back(std::move(t)); }
  template <typename... Args>
  T& emplace_back(Args&&... args) {
    if ((size_ & (kChunk - 1)) == 0) {
      auto chunk = std::make_shared<Chunk>();
      chunk->reserve(kChunk);
      raw_.push_back(chunk.get());
      owned_.push_back(std::move(chunk));
    }
    Chunk& last = Writable(raw_.size() - 1);
    last.emplace_back(std::forward<Args>(args)...);
    ++size_;
    return last.back();
  }
  void pop_back() {
    Writable(raw_.size() - 1).pop_back();
    if ((--size_ & (kChunk - 1)) == 0) {
      raw_.pop_back();
      owned_.resize(raw_.size());
    }
  }
  void resize(size_t n) {
    while (size_ > n) pop_back();
    while (size_ < n) emplace_back();
  }

  template <bool kConst>
  class Iterator {
    using Owner = std::conditional_t<kConst, const CowVector, CowVector>;

   public:
    using iterator_concept = std::random_access_iterator_tag;
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = std::conditional_t<kConst, const T*, T*>;
    using reference = std::conditional_t<kConst, const T&, T&>;

    Iterator() = default;
    Iterator(Owner* v, size_t i) : v_(v), i_(i) {}
    // A writable iterator reads as a constant one.
    template <bool C = kConst, typename = std::enable_if_t<C>>
    Iterator(const Iterator<false>& o) : v_(o.v_), i_(o.i_) {}  // NOLINT(google-explicit-constructor)

    reference operator*() const { return (*v_)[i_]; }
    pointer operator->() const { return &(*v_)[i_]; }
    reference operator[](difference_type n) const { return (*v_)[Offset(n)]; }
    Iterator& operator++() {
      ++i_;
      return *this;
    }
    Iterator operator++(int) { return Iterator(v_, i_++); }
    Iterator& operator--() {
      --i_;
      return *this;
    }
    Iterator operator--(int) { return Iterator(v_, i_--); }
    Iterator& operator+=(difference_type n) {
      i_ = Offset(n);
      return *this;
    }
    Iterator& operator-=(difference_type n) { return *this += -n; }
    friend Iterator operator+(Iterator it, difference_type n) { return it += n; }
    friend Iterator operator+(difference_type n, Iterator it) { return it += n; }
    friend Iterator operator-(Iterator it, difference_type n) { return it -= n; }
    friend difference_type operator-(const Iterator& a, const Iterator& b) {
      return static_cast<difference_type>(a.i_) - static_cast<difference_type>(b.i_);
    }
    bool operator==(const Iterator& o) const { return i_ == o.i_; }
    auto operator<=>(const Iterator& o) const { return i_ <=> o.i_; }
    // The position in the vector.
    size_t index() const { return i_; }

   private:
    friend class Iterator<!kConst>;
    size_t Offset(difference_type n) const {
      return static_cast<size_t>(static_cast<difference_type>(i_) + n);
    }
    Owner* v_ = nullptr;
    size_t i_ = 0;
  };
  using iterator = Iterator<false>;
  using const_iterator = Iterator<true>;

  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, size_}; }
  const_iterator cbegin() const { return begin(); }
  const_iterator cend() const { return end(); }
  // Writable iteration clones each shared chunk it reaches: iterate a const reference to read.
  iterator begin() { return {this, 0}; }
  iterator end() { return {this, size_}; }
  std::reverse_iterator<const_iterator> rbegin() const { return std::reverse_iterator(end()); }
  std::reverse_iterator<const_iterator> rend() const { return std::reverse_iterator(begin()); }

  // Removes [first, last): the elements after it move down (their chunks cloned when shared).
  iterator erase(const_iterator first, const_iterator last) {
    const size_t from = first.index();
    const size_t n = last.index() - from;
    if (n == 0) return {this, from};
    for (size_t i = from; i + n < size_; ++i) Shift(i, i + n);
    for (size_t i = 0; i < n; ++i) pop_back();
    return {this, from};
  }
  iterator erase(const_iterator at) { return erase(at, at + 1); }
  // Inserts `t` before `at`: the elements from it move up.
  iterator insert(const_iterator at, T t) {
    const size_t pos = at.index();
    emplace_back();
    for (size_t i = size_ - 1; i > pos; --i) Shift(i, i - 1);
    (*this)[pos] = std::move(t);
    return {this, pos};
  }

  // How many leading elements this vector and `other` hold in the very same chunks (shared, as
  // after a copy that neither wrote to there): those are equal without being compared.
  size_t SharedPrefix(const CowVector& other) const {
    size_t c = 0;
    while (c < raw_.size() && c < other.raw_.size() && raw_[c] == other.raw_[c]) ++c;
    return std::min({c << kShift, size_, other.size_});
  }

  // Element `from` put at `to`: moved when its chunk is this vector's alone, else copied (moving
  // out of a shared chunk would clone it first, only to empty the clone).
  void Shift(size_t to, size_t from) {
    if (owned_.Alone(from >> kShift)) {
      (*this)[to] = std::move((*this)[from]);
    } else {
      (*this)[to] = std::as_const(*this)[from];
    }
  }

  friend bool operator==(const CowVector& a, const CowVector& b) {
    return a.size_ == b.size_ && std::equal(a.begin(), a.end(), b.begin());
  }
  friend bool operator==(const CowVector& a, const std::vector<T>& b) {
    return a.size_ == b.size() && std::equal(a.begin(), a.end(), b.begin());
  }

 private:
  Chunk& Writable(size_t c) {
    std::shared_ptr<Chunk>& slot = owned_.Own(c);
    if (slot.use_count() != 1) {
      auto copy = std::make_shared<Chunk>();
      copy->reserve(kChunk);
      copy->insert(copy->end(), slot->begin(), slot->end());
      slot = std::move(copy);
      raw_[c] = slot.get();
    }
    return *slot;
  }

  std::vector<Chunk*> raw_;      // each chunk, for reading (copied as plain pointers)
  SharedChunks<Chunk> owned_;    // who owns them, shared a group at a time between copies
  size_t size_ = 0;
};

// Removes the elements `pred` holds for, keeping the order of the rest (std::erase_if's meaning).
template <typename T, typename Pred>
size_t erase_if(CowVector<T>& v, Pred pred) {
  size_t kept = 0;
  const size_t n = v.size();
  for (size_t i = 0; i < n; ++i) {
    const T& t = std::as_const(v)[i];
    if (pred(t)) continue;
    if (kept != i) v.Shift(kept, i);
    ++kept;
  }
  v.erase(v.begin() + static_cast<std::ptrdiff_t>(kept), v.end());
  return n - kept;
}

// Removes the elements at positions `at` (any order, repeats allowed; sorted here), keeping the
// order of the rest. Only the elements from the first removed on are moved: a removal near the end
// leaves the chunks before it shared.
template <typename T>
void EraseAt(CowVector<T>& v, std::vector<size_t>& at) {
  if (at.empty()) return;
  std::sort(at.begin(), at.end());
  at.erase(std::unique(at.begin(), at.end()), at.end());
  size_t kept = at.front(), r = 0;
  for (size_t i = kept; i < v.size(); ++i) {
    if (r < at.size() && at[r] == i) {
      ++r;
      continue;
    }
    v.Shift(kept++, i);
  }
  v.erase(v.begin() + static_cast<std::ptrdiff_t>(kept), v.end());
}

}  // namespace cascade
