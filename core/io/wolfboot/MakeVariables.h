// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/Result.h"

#include <string>
#include <string_view>
#include <vector>

namespace flashplan::wolfboot {

/// One assignment of a make fragment, as written.
struct MakeAssignment {
    int line = 0;      ///< 1-based; a continued line counts as the line it starts on
    std::string name;  ///< may start with a digit ("64BIT")
    std::string op;    ///< "?=", "=", ":=", "::=" or "+="
    std::string value; ///< right of the operator, with the comment and surrounding blanks removed
};

/// A variable after evaluation.
struct MakeVariable {
    std::string name;
    std::string value;   ///< the final value; recursive variables keep their $(...) references unexpanded
    int line = 0;        ///< the last assignment that changed the value (for errors about it)
    bool simple = false; ///< set by := (expanded once), else recursive (=, ?=)
};

/// A wolfBoot .config (a make fragment of assignments) evaluated as GNU make would include it with an
/// empty environment: `?=` assigns only an undefined variable (so the first `?=` wins over later ones),
/// `=` and `:=` always assign, `+=` appends with a blank, `#` starts a comment and `\#` is a literal `#`.
/// Recursive values are kept as written, as `$(value VAR)` shows them; `:=` expands variable references
/// ($(NAME), ${NAME}, $N, $$) but leaves make functions ($(shell ...)) as written. Trailing blanks of a
/// value are dropped (make keeps them before a comment; no wolfBoot option wants them).
class MakeVariables {
public:
    /// Evaluates `text`. Errors (Errc::Parse, with `fileName` and the line): a line that is neither blank,
    /// comment nor assignment (make directives such as ifeq, include and export, and rules, are not
    /// supported), an empty or computed variable name, a shell assignment (!=), a := whose references
    /// loop.
    static Result<MakeVariables> evaluate(std::string_view text, const std::string& fileName);

    /// Every assignment, in file order, whether or not it took effect.
    const std::vector<MakeAssignment>& assignments() const { return assignments_; }
    /// The variables, in the order they were first defined.
    const std::vector<MakeVariable>& variables() const { return variables_; }
    /// The variable called `name`, or nullptr when the fragment never defines it.
    const MakeVariable* find(std::string_view name) const;

private:
    std::vector<MakeAssignment> assignments_;
    std::vector<MakeVariable> variables_;
};

} // namespace flashplan::wolfboot
