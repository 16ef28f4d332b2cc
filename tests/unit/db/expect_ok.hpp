// Assertion helpers for mno::Result in the db tests: print the error code and message on failure.
#pragma once
#include <gtest/gtest.h>

#include "mno/util/result.hpp"

#define ASSERT_OK(expr)                                                                      \
  do {                                                                                       \
    const auto& r_ = (expr);                                                                 \
    ASSERT_TRUE(r_.ok()) << #expr << " failed: " << r_.error().code << ": " << r_.error().message; \
  } while (0)

#define EXPECT_ERROR_CODE(expr, expected_code)                                    \
  do {                                                                            \
    const auto& r_ = (expr);                                                      \
    ASSERT_FALSE(r_.ok()) << #expr << " unexpectedly succeeded";                  \
    EXPECT_EQ(r_.error().code, expected_code) << r_.error().message;              \
  } while (0)
