package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/purpose-hq/purpose/export/forms"
	"github.com/spf13/pflag"
)

// templateConfig is what the template command is told.
type templateConfig struct {
	kind, out, framework string
}

// templateCommand writes a blank budget, staffing or framework workbook.
func templateCommand(_ context.Context, args []string, stdout, stderr io.Writer) error {
	c := templateConfig{}
	fs := pflag.NewFlagSet("template", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVarP(&c.out, "out", "o", "", "the workbook to write (default KIND-template.xlsx)")
	fs.StringVarP(&c.framework, "framework", "f", "", "the framework whose outcomes and business units fill the drop-downs (default: the built-in one)")
	help := fs.BoolP("help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		return usageError{fmt.Sprintf("template: %v (see 'purpose help template')", err)}
	}
	if *help {
		fmt.Fprint(stdout, commandHelp["template"])
		return nil
	}
	if fs.NArg() != 1 {
		return usageError{"template: give one of budget, staffing or framework (see 'purpose help template')"}
	}
	c.kind = strings.ToLower(fs.Arg(0))
	switch c.kind {
	case forms.TemplateBudget, forms.TemplateStaffing, forms.TemplateFramework:
	default:
		return usageError{fmt.Sprintf("template: there is no template %q: give budget, staffing or framework", fs.Arg(0))}
	}
	if c.out == "" {
		c.out = c.kind + "-template.xlsx"
	}
	if ext := strings.ToLower(filepath.Ext(c.out)); ext != ".xlsx" {
		return usageError{fmt.Sprintf("template: -o %s: give a file name ending .xlsx", c.out)}
	}
	if _, err := os.Stat(c.out); err == nil {
		return usageError{fmt.Sprintf("template: %s already exists: give another name, or delete it first", c.out)}
	}
	tables, _, err := loadFrameworkTables(c.framework)
	if err != nil {
		return err
	}
	if err := forms.WriteTemplate(c.out, c.kind, tables); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote %s: a blank %s template (see its Instructions sheet).\n", c.out, c.kind)
	return nil
}
