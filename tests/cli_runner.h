// Runs the built `cascade` binary the way a user does and captures what it prints, for the
// end-to-end tests. Each test gets its own temporary folder and database.
#pragma once

#include <chrono>
#include <cstdlib>
#include <thread>
#include <unistd.h>
#include <sys/wait.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cascade::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  nlohmann::json Json() const { return nlohmann::json::parse(out); }
};

inline std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'') {
      q += "'\\''";
    } else {
      q += c;
    }
  }
  return q + "'";
}

inline std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A scratch folder with a database; Run() calls `cascade --db DB ARGS…` with NO_COLOR set.
class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("cascade-e2e-" + std::string(info->test_suite_name()) + "-" + info->name() + "-" +
            std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "test.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  RunResult Run(const std::vector<std::string>& args) const { return RunOn(db_, args); }

  // The same against another database file.
  RunResult RunOn(const std::string& db, const std::vector<std::string>& args) const {
    return RunCommand("NO_COLOR=1 CASCADE_ACTOR=tester " + ShellQuote(CASCADE_BIN) + " --db " +
                          ShellQuote(db),
                      args, "/dev/null");
  }

  // Like Run(), with `input` as the program's stdin (a file, so not a terminal).
  RunResult RunWithInput(const std::vector<std::string>& args, const std::string& input) const {
    return RunCommand("NO_COLOR=1 CASCADE_ACTOR=tester " + ShellQuote(CASCADE_BIN) + " --db " +
                          ShellQuote(db_),
                      args, WriteFile("stdin.txt", input));
  }

  // `PREFIX ARGS…` through the shell in the scratch folder, stdin from `stdin_path`; PREFIX is
  // shell text (environment assignments and the program), each of ARGS is quoted.
  RunResult RunCommand(const std::string& prefix, const std::vector<std::string>& args,
                       const std::string& stdin_path) const {
    std::string cmd = "cd " + ShellQuote(dir_.string()) + " && " + prefix;
    for (const auto& a : args) cmd += " " + ShellQuote(a);
    cmd += " >" + ShellQuote((dir_ / "out.txt").string()) + " 2>" +
           ShellQuote((dir_ / "err.txt").string()) + " <" + ShellQuote(stdin_path);
    const int status = std::system(cmd.c_str());
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadAll(dir_ / "out.txt");
    r.err = ReadAll(dir_ / "err.txt");
    return r;
  }

  // Writes `text` to a file in the scratch folder and returns its path.
  std::string WriteFile(const std::string& name, const std::string& text) const {
    const auto p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }

  static std::string TestData(const std::string& name) {
    return std::string(CASCADE_TESTDATA) + "/" + name;
  }

  std::filesystem::path dir_;
  std::string db_;
};

}  // namespace cascade::testing
