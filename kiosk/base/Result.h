// Expected failures as values: a Result holds either a value or a human-readable message that
// names the file, field or URL at fault. Callers decide whether to log, skip or stop.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace kiosk {

struct Error {
    std::string message;
};

template <class T> class Result {
public:
    Result(T value) : value_(std::move(value)) {}
    Result(Error error) : error_(std::move(error.message)) {}

    bool ok() const { return value_.has_value(); }
    explicit operator bool() const { return ok(); }
    const T& value() const& { return *value_; }
    T& value() & { return *value_; }
    T&& value() && { return std::move(*value_); }
    const T& operator*() const { return *value_; }
    T& operator*() { return *value_; }
    const T* operator->() const { return &*value_; }
    T* operator->() { return &*value_; }
    const std::string& error() const { return error_; }

private:
    std::optional<T> value_;
    std::string error_;
};

} // namespace kiosk
