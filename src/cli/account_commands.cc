// user add|passwd|rm|list and token create|revoke|list: the accounts the server signs in with
// (spec §6). Passwords are read from the terminal with echo off, or as one line from stdin.
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/arg_parse.h"
#include "cli/commands.h"
#include "cli/terminal_text.h"
#include "server/auth.h"

namespace cascade {
namespace {

using nlohmann::json;

json RefJson(const std::string& id) { return id.empty() ? json(nullptr) : json(id); }

// ---- Reading a password ----

// The terminal settings to restore if the user interrupts a prompt while echo is off.
termios g_saved_terminal;
volatile std::sig_atomic_t g_echo_off = 0;

void RestoreEchoAndExit(int sig) {
  if (g_echo_off) tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_terminal);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

// One line of stdin without its line ending; nullopt at end of input.
std::optional<std::string> ReadLine() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Asks on stderr and reads the answer from the terminal without echoing it.
std::optional<std::string> Prompt(const std::string& question) {
  std::cerr << question << std::flush;
  const bool terminal = tcgetattr(STDIN_FILENO, &g_saved_terminal) == 0;
  void (*previous)(int) = SIG_DFL;
  if (terminal) {
    termios quiet = g_saved_terminal;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    previous = std::signal(SIGINT, RestoreEchoAndExit);
    g_echo_off = 1;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  auto line = ReadLine();
  if (terminal) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_terminal);
    g_echo_off = 0;
    std::signal(SIGINT, previous);
  }
  std::cerr << "\n";
  return line;
}

// The new password for `name`: one line of stdin with --password-stdin or when stdin is not a
// terminal; otherwise asked twice on the terminal.
Result<std::string> ReadNewPassword(const std::string& name, bool from_stdin) {
  auto missing = [&] {
    return Error::Invalid("no password given for account '" + name +
                              "'; type it when asked or pipe it in with --password-stdin",
                          "account", name, "password");
  };
  if (from_stdin || isatty(STDIN_FILENO) != 1) {
    auto line = ReadLine();
    if (!line) return missing();
    return std::move(*line);
  }
  auto first = Prompt("Password for " + name + ": ");
  if (!first) return missing();
  auto second = Prompt("Repeat the password: ");
  if (!second) return missing();
  if (*first != *second) {
    return Error::Invalid("the two passwords differ; nothing was changed", "account", name,
                          "password");
  }
  return std::move(*first);
}

// ---- Commands ----

Result<AccountStore*> Accounts(Context& ctx) {
  auto store = ctx.OpenedStore();
  if (!store) return store.error();
  return &(*store)->accounts();
}

// Fails early, before asking for a password, when the account's existence is not as needed.
Result<void> ExpectAccount(AccountStore& accounts, const std::string& name, bool exists) {
  auto found = accounts.FindAccount(name);
  if (!found) return found.error();
  if (found->has_value() && !exists) {
    return Error::Conflict("account '" + name + "' already exists", "account", name, "name");
  }
  if (!found->has_value() && exists) {
    return Error::NotFound("account '" + name + "' does not exist", "account", name, "name");
  }
  return Ok();
}

struct UserAddOptions {
  std::string name, role, person;
  bool password_stdin = false;
  bool no_password = false;  // signs in only with tokens
};

int RunUserAdd(Context& ctx, const UserAddOptions& o) {
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  std::optional<Role> role;
  if (!o.role.empty()) {
    auto parsed = ParseEnumArg("--role", o.role, &ParseRole, "admin, lead, member, viewer");
    if (!parsed) return ctx.Fail(parsed.error());
    role = *parsed;
  }
  auto ws = (*store)->Load(LoadOptions{.checkins = false});
  if (!ws) return ctx.Fail(ws.error());
  if (auto r = ExpectAccount((*store)->accounts(), o.name, false); !r) return ctx.Fail(r.error());
  if (!o.person.empty() && std::none_of(ws->people.begin(), ws->people.end(),
                                        [&](const Person& p) { return p.id == o.person; })) {
    return ctx.Fail(
        Error::NotFound("person '" + o.person + "' does not exist", "person", o.person, "person"));
  }
  std::string password;
  if (!o.no_password) {
    auto read = ReadNewPassword(o.name, o.password_stdin);
    if (!read) return ctx.Fail(read.error());
    // An empty password would make a token-only account; that takes --no-password.
    if (read->empty()) {
      return ctx.Fail(Error::Invalid("a password needs at least 8 characters", "account", o.name,
                                     "password"));
    }
    password = std::move(*read);
  }
  auto added = AuthService((*store)->accounts()).AddUser(*ws, o.name, password, role, o.person);
  if (!added) return ctx.Fail(added.error());
  if (ctx.json) {
    std::cout << TerminalJson(json{{"name", added->name},
                                   {"role", ToString(added->role)},
                                   {"person", RefJson(added->person)}},
                              -1)
              << "\n";
  } else {
    std::cout << fmt::format("added account {} ({}{}{})\n", added->name, ToString(added->role),
                             added->person.empty() ? "" : ", person " + added->person,
                             o.no_password ? ", tokens only" : "");
  }
  return kExitOk;
}

int RunUserPasswd(Context& ctx, const std::string& name, bool password_stdin) {
  auto accounts = Accounts(ctx);
  if (!accounts) return ctx.Fail(accounts.error());
  if (auto r = ExpectAccount(**accounts, name, true); !r) return ctx.Fail(r.error());
  auto password = ReadNewPassword(name, password_stdin);
  if (!password) return ctx.Fail(password.error());
  if (auto r = AuthService(**accounts).SetPassword(name, *password); !r) return ctx.Fail(r.error());
  if (ctx.json) {
    std::cout << json{{"name", name}, {"password_changed", true}}.dump() << "\n";
  } else {
    std::cout << "changed the password of " << name << "\n";
  }
  return kExitOk;
}

int RunUserRm(Context& ctx, const std::string& name) {
  auto accounts = Accounts(ctx);
  if (!accounts) return ctx.Fail(accounts.error());
  if (auto r = AuthService(**accounts).RemoveUser(name); !r) return ctx.Fail(r.error());
  if (ctx.json) {
    std::cout << json{{"removed", name}}.dump() << "\n";
  } else {
    std::cout << "removed account " << name << " with its tokens and sessions\n";
  }
  return kExitOk;
}

int RunUserList(Context& ctx) {
  auto accounts = Accounts(ctx);
  if (!accounts) return ctx.Fail(accounts.error());
  auto list = (*accounts)->ListAccounts();
  if (!list) return ctx.Fail(list.error());
  json out = json::array();
  for (const Account& a : *list) {
    if (ctx.json) {
      out.push_back({{"name", a.name},
                     {"role", ToString(a.role)},
                     {"person", RefJson(a.person)},
                     {"has_password", !a.password_hash.empty()}});
    } else {
      std::cout << fmt::format("{:<20} {:<7} {:<20} {}\n", Visible(a.name), ToString(a.role),
                               a.person.empty() ? "-" : a.person,
                               a.password_hash.empty() ? "tokens only" : "password");
    }
  }
  if (ctx.json) std::cout << TerminalJson(json{{"accounts", out}}) << "\n";
  return kExitOk;
}

int RunTokenCreate(Context& ctx, const std::string& account, const std::string& label) {
  auto accounts = Accounts(ctx);
  if (!accounts) return ctx.Fail(accounts.error());
  auto token = AuthService(**accounts).CreateToken(account, label, ctx.clock->NowUnix());
  if (!token) return ctx.Fail(token.error());
  if (ctx.json) {
    std::cout << json{{"id", token->id}, {"secret", token->secret}, {"account", account}}.dump()
              << "\n";
  } else {
    std::cout << fmt::format(
        "created token {} for {}; send it as 'Authorization: Bearer <secret>'. The secret, shown "
        "only this once:\n{}\n",
        token->id, account, token->secret);
  }
  return kExitOk;
}

int RunTokenRevoke(Context& ctx, const std::string& id) {
  auto accounts = Accounts(ctx);
  if (!accounts) return ctx.Fail(accounts.error());
  if (auto r = AuthService(**accounts).RevokeToken(id); !r) return ctx.Fail(r.error());
  if (ctx.json) {
    std::cout << json{{"revoked", id}}.dump() << "\n";
  } else {
    std::cout << "revoked token " << id << "\n";
  }
  return kExitOk;
}

int RunTokenList(Context& ctx, const std::string& account) {
  auto accounts = Accounts(ctx);
  if (!accounts) return ctx.Fail(accounts.error());
  auto list = (*accounts)->ListTokens(account);
  if (!list) return ctx.Fail(list.error());
  json out = json::array();
  for (const ApiToken& t : *list) {
    const std::string created =
        Date(static_cast<int32_t>(t.created_at / 86400)).ToString();  // UTC day
    if (ctx.json) {
      out.push_back({{"id", t.id},
                     {"account", t.account},
                     {"label", t.label},
                     {"created", created},
                     {"revoked", t.revoked}});
    } else {
      std::cout << fmt::format("{:<16}  {:<20} {}  {:<8} {}\n", Visible(t.id), Visible(t.account),
                               created, t.revoked ? "revoked" : "active", Visible(t.label));
    }
  }
  if (ctx.json) std::cout << TerminalJson(json{{"tokens", out}}) << "\n";
  return kExitOk;
}

}  // namespace

void AddAccountCommands(CLI::App& app, CommandEnv env) {
  Context& ctx = env.ctx;
  int& code = env.exit_code;

  CLI::App* user = app.add_subcommand("user", "Accounts that sign in to the server: add, passwd, rm, list");
  user->require_subcommand(1);

  auto add = std::make_shared<UserAddOptions>();
  CLI::App* user_add = user->add_subcommand("add", "Add an account (asks for its password)");
  user_add->add_option("name", add->name, "Sign-in name (a slug)")->required();
  user_add->add_option("--role", add->role,
                       "admin, lead, member or viewer (default: the person's role, else viewer)");
  user_add->add_option("--person", add->person, "The person this account is (their goals and team)");
  user_add->add_flag("--password-stdin", add->password_stdin,
                     "Read the password as one line from stdin");
  user_add->add_flag("--no-password", add->no_password,
                     "No password: the account signs in only with tokens (for tools)")
      ->excludes("--password-stdin");
  user_add->callback([&ctx, &code, add] { code = RunUserAdd(ctx, *add); });

  struct PasswdOptions {
    std::string name;
    bool password_stdin = false;
  };
  auto passwd = std::make_shared<PasswdOptions>();
  CLI::App* user_passwd = user->add_subcommand("passwd", "Set an account's password");
  user_passwd->add_option("name", passwd->name, "Account name")->required();
  user_passwd->add_flag("--password-stdin", passwd->password_stdin,
                        "Read the password as one line from stdin");
  user_passwd->callback(
      [&ctx, &code, passwd] { code = RunUserPasswd(ctx, passwd->name, passwd->password_stdin); });

  auto rm_name = std::make_shared<std::string>();
  CLI::App* user_rm = user->add_subcommand("rm", "Remove an account with its tokens and sessions");
  user_rm->add_option("name", *rm_name, "Account name")->required();
  user_rm->callback([&ctx, &code, rm_name] { code = RunUserRm(ctx, *rm_name); });

  user->add_subcommand("list", "List accounts")->callback([&ctx, &code] {
    code = RunUserList(ctx);
  });

  CLI::App* token = app.add_subcommand("token", "API tokens for tools: create, revoke, list");
  token->require_subcommand(1);

  struct CreateOptions {
    std::string account, label;
  };
  auto create = std::make_shared<CreateOptions>();
  CLI::App* token_create =
      token->add_subcommand("create", "Create a token for an account and print its secret once");
  token_create->add_option("account", create->account, "Account name")->required();
  token_create->add_option("--label", create->label, "What the token is for (ci, looker, …)");
  token_create->callback(
      [&ctx, &code, create] { code = RunTokenCreate(ctx, create->account, create->label); });

  auto revoke_id = std::make_shared<std::string>();
  CLI::App* token_revoke = token->add_subcommand("revoke", "Revoke a token: it stops working at once");
  token_revoke->add_option("id", *revoke_id, "Token id (from token create or token list)")->required();
  token_revoke->callback([&ctx, &code, revoke_id] { code = RunTokenRevoke(ctx, *revoke_id); });

  auto list_account = std::make_shared<std::string>();
  CLI::App* token_list = token->add_subcommand("list", "List tokens (never their secrets)");
  token_list->add_option("account", *list_account, "Only this account's tokens");
  token_list->callback([&ctx, &code, list_account] { code = RunTokenList(ctx, *list_account); });
}

}  // namespace cascade
