// Package templates holds what ships inside the binary: the default outcomes
// framework (framework/outcomes.csv and framework/rules.csv, with
// framework/staff_rules.csv for posts and framework/pay_nominals.csv naming
// pay, written for UK housing associations by this project). The blank
// budget a finance team can fill in, budget-template.csv, sits beside it in
// the repository; it is not embedded.
package templates

import "embed"

// FS holds the default framework under "framework".
//
//go:embed framework/*.csv
var FS embed.FS

// FrameworkDir is the default framework's folder inside FS.
const FrameworkDir = "framework"
