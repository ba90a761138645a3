// Package templates holds what ships inside the binary: the default outcomes
// framework (framework/outcomes.csv and framework/rules.csv, with
// framework/staff_rules.csv for posts and framework/pay_nominals.csv naming
// pay, written for UK housing associations by this project) and blank input templates a finance
// team can fill in.
package templates

import "embed"

// FS holds the default framework under "framework" and the blank templates.
//
//go:embed framework/*.csv
var FS embed.FS

// FrameworkDir is the default framework's folder inside FS.
const FrameworkDir = "framework"
