// Command gen writes samples/budget.xlsx: the revenue budget 2026/27 of
// Brookvale Homes, a FICTIONAL housing association, laid out the way a ledger
// system exports it, so that purpose can be tried and tested on something
// realistic without anyone's real figures.
//
// The workbook has three sheets:
//   - "Budget 2026-27": a title block (rows 1-4), the header on row 5, then
//     detail lines grouped by cost centre. Each cost centre ends with a
//     "Total HM101"-style row, each directorate with a "Total <directorate>"
//     row and the sheet with "GRAND TOTAL"; these are SUM formulas that carry
//     their cached values. About 5% of amounts are text ("£1,234.56",
//     "1,234", "(250.00)", "-"), as in real exports. Income is mostly
//     negative (credits); a few income lines are positive in income nominals.
//   - "Notes": free text saying this is fictional sample data.
//   - "Lookups" (hidden): the nominal code list, with no amounts.
//
// Run from the repository root:
//
//	go run ./samples/gen                 # writes samples/budget.xlsx
//	go run ./samples/gen -o /tmp/b.xlsx  # writes elsewhere
//
// The output is deterministic: a fixed PCG seed drives every random choice.
package main

import (
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

const (
	orgName     = "Brookvale Homes (fictional sample)"
	sheetName   = "Budget 2026-27"
	headerRow   = 5
	textShare   = 0.05 // share of non-zero amounts written as text
	niRate      = 0.15 // employer's NI above the secondary threshold
	niThresh    = 5000
	pensionRate = 0.07
)

var header = []string{"Directorate", "Cost Centre", "Cost Centre Name", "Nominal",
	"Nominal Description", "Description", "Budget 2026/27 £"}

// post is a staffing line: fte posts at salary (£ a year each).
type post struct {
	title  string
	fte    float64
	salary float64
}

// item is a non-staff line in pounds (negative = credit). ofSalaries, when
// set, makes the line that share of the cost centre's salaries instead (a
// vacancy factor); asText forces a text amount.
type item struct {
	nominal    int
	desc       string
	pounds     float64
	ofSalaries float64
	asText     bool
}

type costCentre struct {
	code, name string
	extras     int // how many generic running-cost lines to add
	posts      []post
	items      []item
}

type directorate struct {
	name string
	ccs  []costCentre
}

// row is one detail line as written to the sheet.
type row struct {
	dir, cc, ccName, nomDesc, desc string
	nominal                        int
	pence                          int64
	text                           string // non-empty: written as this text
}

func main() {
	out := flag.String("o", "samples/budget.xlsx", "path of the workbook to write")
	hr := flag.String("staffing", "samples/staffing.xlsx", "path of the HR export to write")
	flag.Parse()
	st, err := build(*out)
	if err != nil {
		log.Fatal(err)
	}
	people, err := buildHRExport(*hr, establishment(st.groups))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %s: %d rows, one per person\n", *hr, people)
	fmt.Printf("wrote %s: %d detail lines, %d cost centres, %d directorates, %d text amounts\n",
		*out, st.lines, st.costCentres, len(budget), st.textAmounts)
	fmt.Printf("expenditure £%s, income £%s, credits on cost nominals £%s\n",
		money(st.expenditure), money(st.income), money(st.credits))
}

type stats struct {
	groups                          []payGroup // the posts' pay lines, for the staffing sheets
	lines, costCentres, textAmounts int
	expenditure, income, credits    int64 // pence: cost lines, income lines, credits on cost nominals
}

func abs(p int64) int64 { return max(p, -p) }

func ptr[T any](v T) *T { return &v }

// build generates the workbook and saves it to path.
func build(path string) (stats, error) {
	rng := rand.New(rand.NewPCG(20260214, 912))
	var st stats
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		return st, err
	}
	sty, err := newStyles(f)
	if err != nil {
		return st, err
	}
	// Landscape, one page wide, so that it prints (and renders) like a report.
	if err := f.SetPageLayout(sheetName, &excelize.PageLayoutOptions{
		Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0)}); err != nil {
		return st, err
	}
	if err := f.SetSheetProps(sheetName, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return st, err
	}
	sw, err := f.NewStreamWriter(sheetName)
	if err != nil {
		return st, err
	}
	for i, w := range []float64{24, 11, 36, 9, 28, 52, 18} {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return st, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow,
		TopLeftCell: fmt.Sprintf("A%d", headerRow+1), ActivePane: "bottomLeft"}); err != nil {
		return st, err
	}
	r := 1
	put := func(cells ...any) error {
		err := sw.SetRow(fmt.Sprintf("A%d", r), cells)
		r++
		return err
	}
	for _, t := range []excelize.Cell{{StyleID: sty.title, Value: orgName},
		{StyleID: sty.subtitle, Value: "Revenue budget 2026/27 – ledger export (fictional sample data)"},
		{StyleID: sty.subtitle, Value: "Run date 14/02/2026 09:12"}} {
		if err := put(t); err != nil {
			return st, err
		}
	}
	r++ // row 4 is blank
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = excelize.Cell{StyleID: sty.header, Value: h}
	}
	if err := put(hdr...); err != nil {
		return st, err
	}

	var dirTotals []string
	var grand int64
	for _, d := range budget {
		var ccTotals []string
		var dirSum int64
		for _, cc := range d.ccs {
			st.costCentres++
			first := r
			var sum int64
			for _, ln := range lines(rng, d.name, cc, &st.groups) {
				var amount any = excelize.Cell{StyleID: sty.amount, Value: float64(ln.pence) / 100}
				if ln.text != "" {
					amount = ln.text
					st.textAmounts++
				}
				if err := put(ln.dir, ln.cc, ln.ccName, ln.nominal, ln.nomDesc, ln.desc, amount); err != nil {
					return st, err
				}
				sum += ln.pence
				st.lines++
				switch {
				case ln.nominal < 2000:
					st.income += abs(ln.pence)
				case ln.pence < 0:
					st.credits -= ln.pence
				default:
					st.expenditure += ln.pence
				}
			}
			ccTotals = append(ccTotals, fmt.Sprintf("G%d", r))
			if err := put(nil, nil, excelize.Cell{StyleID: sty.subLabel, Value: "Total " + cc.code},
				nil, nil, nil, sumCell(sty.subtotal, fmt.Sprintf("SUM(G%d:G%d)", first, r-1), sum)); err != nil {
				return st, err
			}
			r++ // blank row after each cost centre
			dirSum += sum
		}
		dirTotals = append(dirTotals, fmt.Sprintf("G%d", r))
		if err := put(nil, nil, excelize.Cell{StyleID: sty.dirLabel, Value: "Total " + d.name},
			nil, nil, nil, sumCell(sty.dirTotal, "SUM("+strings.Join(ccTotals, ",")+")", dirSum)); err != nil {
			return st, err
		}
		r++
		grand += dirSum
	}
	if err := put(nil, nil, excelize.Cell{StyleID: sty.grandLabel, Value: "GRAND TOTAL"},
		nil, nil, nil, sumCell(sty.grand, "SUM("+strings.Join(dirTotals, ",")+")", grand)); err != nil {
		return st, err
	}
	if err := sw.Flush(); err != nil {
		return st, err
	}
	if err := writeNotes(f); err != nil {
		return st, err
	}
	if err := writeLookups(f); err != nil {
		return st, err
	}
	if err := writeStaffingSheet(f, establishment(st.groups)); err != nil {
		return st, err
	}
	f.SetActiveSheet(0)
	if err := f.SaveAs(path); err != nil {
		return st, err
	}
	// The stream writer leaves the used range at A1, and readers such as
	// openpyxl's read-only mode trust it; reopen and set the real one.
	g, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: 256 << 20, UnzipXMLSizeLimit: 64 << 20}) // the sample is small; a limit all the same
	if err != nil {
		return st, err
	}
	defer g.Close()
	if err := g.SetSheetDimension(sheetName, fmt.Sprintf("A1:G%d", r-1)); err != nil {
		return st, err
	}
	// The core properties as Excel writes them, each element under its
	// usual prefix: excelize's SetDocProps writes them in the default
	// namespace (<lastModifiedBy>), which ExcelJS refuses.
	g.Pkg.Store("docProps/core.xml", []byte(coreProperties))
	return st, g.Save()
}

const coreProperties = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" +
	`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
	`<dc:title>Brookvale Homes revenue budget 2026/27 (fictional sample data)</dc:title><dc:creator>purpose samples/gen</dc:creator><cp:lastModifiedBy></cp:lastModifiedBy>` +
	`<dcterms:created xsi:type="dcterms:W3CDTF">2026-02-14T09:12:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2026-02-14T09:12:00Z</dcterms:modified></cp:coreProperties>`

// sumCell is a formula cell that also carries its computed (cached) value.
func sumCell(style int, formula string, pence int64) excelize.Cell {
	return excelize.Cell{StyleID: style, Formula: formula, Value: float64(pence) / 100}
}

// lines expands one cost centre into its detail rows, sorted by nominal as a
// ledger lists them: salary, employer's NI and pension lines for each post,
// the cost centre's own items and a few generic running costs.
func lines(rng *rand.Rand, dir string, cc costCentre, groups *[]payGroup) []row {
	var rows []row
	add := func(nominal int, desc string, pence int64) *row {
		rows = append(rows, row{dir: dir, cc: cc.code, ccName: cc.name, nominal: nominal,
			nomDesc: nominals[nominal], desc: desc, pence: pence})
		return &rows[len(rows)-1]
	}
	var salaries, fte float64
	for _, p := range cc.posts {
		pay := p.fte * p.salary * (1 + (rng.Float64()-0.5)*0.04)
		desc := fmt.Sprintf("%s (%s FTE)", p.title, strings.TrimSuffix(fmt.Sprintf("%.1f", p.fte), ".0"))
		g := payGroup{dir: dir, cc: cc.code, ccName: cc.name, post: p}
		g.pay = add(5000, desc, pence(pay)).pence
		g.ni = add(5010, desc, pence(niRate*math.Max(0, pay-niThresh*p.fte))).pence
		g.pension = add(5020, desc, pence(pay*pensionRate)).pence
		*groups = append(*groups, g)
		salaries += pay
		fte += p.fte
	}
	for _, it := range cc.items {
		p := roundLikeABudget(rng, it.pounds*(1+(rng.Float64()-0.5)*0.08))
		if it.ofSalaries != 0 {
			p = pence(salaries * it.ofSalaries)
		}
		if ln := add(it.nominal, it.desc, p); it.asText {
			ln.text = textAmount(ln.pence, 1)
		}
	}
	for _, i := range rng.Perm(len(runningCosts))[:cc.extras] {
		rc := runningCosts[i]
		add(rc.nominal, rc.desc, roundLikeABudget(rng, math.Max(250, rc.pounds*fte)))
	}
	slices.SortStableFunc(rows, func(a, b row) int { return a.nominal - b.nominal })
	for i := range rows {
		switch ln := &rows[i]; {
		case ln.text != "":
		case ln.pence == 0 && rng.Float64() < 0.75:
			ln.text = "-"
		case ln.pence != 0 && rng.Float64() < textShare:
			ln.text = textAmount(ln.pence, rng.IntN(3))
		}
	}
	return rows
}

func pence(pounds float64) int64 { return int64(math.Round(pounds * 100)) }

// roundLikeABudget rounds most amounts to the nearest £100 or £1 and leaves
// some in pence, as budget holders enter them.
func roundLikeABudget(rng *rand.Rand, pounds float64) int64 {
	switch x := rng.Float64(); {
	case pounds == 0:
		return 0
	case x < 0.55:
		return int64(math.Round(pounds/100)) * 10000
	case x < 0.85:
		return int64(math.Round(pounds)) * 100
	default:
		return pence(pounds)
	}
}

// textAmount writes an amount the way text-typed cells appear in exports:
// style 0 "£1,234.56", 1 "1,234.56", 2 "1,234" (whole pounds only); credits
// are always in brackets.
func textAmount(p int64, style int) string {
	neg := p < 0
	if neg {
		p = -p
	}
	s := commas(p/100) + fmt.Sprintf(".%02d", p%100)
	switch {
	case neg:
		return "(" + s + ")"
	case style == 0:
		return "£" + s
	case style == 2 && p%100 == 0:
		return commas(p / 100)
	}
	return s
}

func commas(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func money(p int64) string { return commas(p/100) + fmt.Sprintf(".%02d", p%100) }

type styles struct {
	title, subtitle, header, amount, subLabel, subtotal, dirLabel, dirTotal, grandLabel, grand int
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	bold := &excelize.Font{Bold: true}
	top := []excelize.Border{{Type: "top", Color: "000000", Style: 1}}
	grey := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}}
	s.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	s.subtitle = mk(&excelize.Style{Font: &excelize.Font{Italic: true}})
	s.header = mk(&excelize.Style{Font: bold, Fill: grey,
		Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}})
	s.amount = mk(&excelize.Style{NumFmt: 4}) // #,##0.00
	s.subLabel = mk(&excelize.Style{Font: bold})
	s.subtotal = mk(&excelize.Style{NumFmt: 4, Font: bold, Border: top})
	s.dirLabel = mk(&excelize.Style{Font: bold, Fill: grey})
	s.dirTotal = mk(&excelize.Style{NumFmt: 4, Font: bold, Fill: grey, Border: top})
	s.grandLabel = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}})
	s.grand = mk(&excelize.Style{NumFmt: 4, Font: &excelize.Font{Bold: true, Size: 12},
		Border: []excelize.Border{{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 6}}})
	return s, err
}

func writeNotes(f *excelize.File) error {
	if _, err := f.NewSheet("Notes"); err != nil {
		return err
	}
	notes := []string{
		"Notes",
		"This workbook is fictional sample data. Brookvale Homes does not exist.",
		"It was generated by samples/gen in the purpose repository (go run ./samples/gen).",
		"Names, cost centres, posts and amounts are invented but sized like a UK housing association of about 11,000 homes.",
		"Amounts are in pounds; income is shown as negative (credit) except a few positive lines in income nominals.",
		"Some amounts are typed as text, as ledger exports often do.",
		"This sheet is not a budget table.",
	}
	for i, n := range notes {
		if err := f.SetCellValue("Notes", fmt.Sprintf("A%d", i+1), n); err != nil {
			return err
		}
	}
	return f.SetColWidth("Notes", "A", "A", 110)
}

func writeLookups(f *excelize.File) error {
	const sh = "Lookups"
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	if err := f.SetSheetRow(sh, "A1", &[]any{"Nominal", "Description"}); err != nil {
		return err
	}
	codes := make([]int, 0, len(nominals))
	for c := range nominals {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for i, c := range codes {
		if err := f.SetSheetRow(sh, fmt.Sprintf("A%d", i+2), &[]any{c, nominals[c]}); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sh, "B", "B", 34); err != nil {
		return err
	}
	return f.SetSheetVisible(sh, false)
}

// nominals is the chart of accounts: 1xxx income, 5xxx staff, 6xxx premises
// and repairs, 7xxx supplies and services, 8xxx finance costs.
var nominals = map[int]string{
	1000: "Rental Income", 1100: "Service Charge Income", 1200: "Garage & Commercial Rents",
	1300: "Support & Care Income", 1500: "Grant Income", 1800: "Interest Receivable", 1900: "Other Income",
	5000: "Salaries", 5010: "Employer's NI", 5020: "Employer's Pension", 5030: "Overtime",
	5040: "Agency Staff", 5100: "Staff Training", 5110: "Recruitment", 5120: "Apprenticeship Levy",
	5200: "Travel & Subsistence", 5210: "Mileage",
	6000: "Repairs – Contractors", 6010: "Materials", 6020: "Planned Maintenance",
	6030: "Cyclical Maintenance", 6040: "Void Repairs", 6050: "Servicing & Compliance",
	6060: "Aids & Adaptations", 6100: "Electricity", 6110: "Gas", 6140: "Business Rates",
	6150: "Cleaning", 6160: "Grounds Maintenance", 6170: "Security", 6200: "Rent Payable",
	6210: "Premises Repairs", 6220: "Estate Improvements",
	7000: "Stationery", 7010: "Printing & Postage", 7020: "Telephones & Mobiles",
	7030: "IT Software & Licences", 7040: "IT Hardware", 7050: "Equipment", 7100: "Professional Fees",
	7110: "Consultancy", 7120: "Legal Fees", 7130: "Audit Fees", 7200: "Insurance Premiums",
	7300: "Subscriptions & Memberships", 7400: "Vehicle Costs", 7500: "Grants to Community Groups",
	7510: "Activities & Events", 7520: "Client Support Costs", 7530: "Resident Training",
	7600: "Marketing & Communications", 7700: "Bank Charges", 7900: "Sundry Expenses",
	7910: "Miscellaneous", 7950: "Recharges", 8000: "Interest Payable", 8010: "Loan Fees",
	8100: "Depreciation – Housing Properties", 8110: "Depreciation – Other Assets",
	8200: "Bad Debt Provision",
}

// runningCosts are generic lines a cost centre may have, in £ per FTE.
var runningCosts = []item{
	{nominal: 5100, desc: "Staff training", pounds: 350},
	{nominal: 5200, desc: "Travel and subsistence", pounds: 180},
	{nominal: 5210, desc: "Staff mileage", pounds: 420},
	{nominal: 7000, desc: "Stationery", pounds: 60},
	{nominal: 7010, desc: "Printing and postage", pounds: 90},
	{nominal: 7020, desc: "Mobile phones", pounds: 240},
	{nominal: 7300, desc: "Professional subscriptions", pounds: 110},
	{nominal: 7900, desc: "Sundry expenses", pounds: 50},
}

var budget = parseBudget(budgetData)

// budgetData: "= Directorate"; then "CODE | Cost centre name | running-cost
// lines | posts" with posts as "Title FTE@salary; ..."; then indented items
// "nominal | description | £amount", where "-3%" means that share of the
// cost centre's salaries and a trailing "*" writes the amount as text.
const budgetData = `
= Housing Services
HM100 | Housing Income | 0 |
	1000 | Rental income – general needs | -58640000
	1000 | Rental income – affordable rent | -4215000
	1000 | Rental income – shared ownership | -1386500
	1000 | Rental income – supported and sheltered | -2960000
	1100 | Service charge income – general needs | -2480000
	1100 | Service charge income – sheltered schemes | -1240000
	1200 | Garage rents receivable | 212400
	1200 | Commercial rents – shop units | 96000
HM101 | Neighbourhood Housing & Lettings | 3 | Head of Neighbourhoods 1@72000; Area Housing Managers 4@52500; Neighbourhood Officers 24@34800; Lettings Officers 5@31200; Leasehold and Home Ownership Officers 3@33000; Pre-tenancy Assessment Officers 2@32000; Homeless Nominations Liaison Officer 1@33500
	5000 | Vacancy factor (3% of salaries) | -3%
	5040 | Agency cover – neighbourhood officers | 85000
	7120 | Legal fees – tenancy enforcement | 45000
	7300 | Choice based lettings partnership fee | 38000
	7010 | Tenancy sign-up packs | 7500
HM102 | Tenancy Sustainment | 3 | Tenancy Sustainment Team Leader 1@44000; Tenancy Sustainment Officers 7@33500; Safeguarding Lead 1@46000
	7520 | Tenancy sustainment fund – small awards | 40000
	7520 | Furniture packs for new tenants | 65000
	6150 | Hoarding support – specialist cleaning | 18000
HM103 | Income Recovery | 3 | Income Manager 1@50000; Income Officers 9@30800; Pre-arrears Support Officers 2@31500; Rent Accounts Assistants 2@24800
	7120 | Legal fees – possession proceedings | 62000
	8200 | Bad debt provision – current tenant arrears | 420000
	8200 | Former tenant arrears write-offs | 180000
	7700 | Rent payment channels – Allpay and PayPoint | 96000
	7100 | Money advice referrals – Citizens Advice SLA | 35000
	7010 | Rent statements – printing and postage | 22000
HM104 | ASB & Community Safety | 2 | ASB Team Leader 1@45000; ASB Caseworkers 5@35200; Community Safety Officer – vacant 1@0
	7100 | Mediation service contract | 28000
	7120 | Legal costs – ASB injunctions | 55000
	6170 | Mobile CCTV cameras – lease and monitoring | 42000
	7510 | Youth diversion project (Safer Brookvale partnership) | 24000
HM105 | Estate Services | 2 | Estate Services Manager 1@46000; Estate Supervisors 2@32000; Caretakers 16@25800
	6160 | Grounds maintenance contract | 845000
	6160 | Tree works programme | 120000
	6150 | Bulky waste and fly-tipping removal | 96000
	6100 | Communal electricity | 410000
	6030 | Pest control contract | 54000
	7400 | Caretaking vans – lease and fuel | 88000
	6220 | Estate improvements fund | 150000
	6050 | Play area inspections and repairs | 28000
= Property Services
PS201 | Responsive Repairs (DLO) | 4 | Head of Repairs 1@78000; Repairs Supervisors 8@42500; Multi-trade Operatives 78@34200; Repairs Planners 6@28500; Apprentice Operatives 8@19800; Repairs Surveyors 4@44000
	5030 | Overtime – out of hours rota | 240000
	5040 | Agency trades operatives | 380000
	6010 | Materials – stores partner contract | 1650000
	6000 | Specialist subcontractors – roofing and drainage | 720000
	6000 | Subcontractors – general trades overflow | 1150000
	6000 | Out of hours emergency repairs contract | 310000
	7400 | Van fleet – lease | 640000
	7400 | Fleet fuel cards | 310000
	7050 | Tools, workwear and PPE | 95000
	7900 | Social value fund – repairs contract commitments | 25000
PS202 | Planned & Cyclical Maintenance | 2 | Planned Maintenance Manager 1@58000; Project Surveyors 5@45500; Resident Liaison Officers 2@30500
	6030 | Cyclical external decorations | 680000
	6030 | Gutter and drainage cleaning | 145000
	6020 | Kitchen and bathroom replacements (revenue element) | 1050000
	6020 | Roof repairs programme | 420000
	6020 | Retrofit – external wall insulation (Warm Homes match funding) | 760000
	6020 | Loft and cavity wall insulation top-ups | 185000
	6020 | Heating upgrades – boiler replacements | 540000
	7950 | Recharge to capital programme | -620000*
PS203 | Building Safety & Compliance | 3 | Head of Building Safety 1@70000; Compliance Officers 6@38500; Gas Engineers 12@39000; Damp and Mould Surveyors 3@41000
	6050 | Gas servicing – contractor (non-DLO areas) | 520000
	6050 | Fire risk assessments | 140000
	6050 | Fire door inspections and remedial works | 380000
	6050 | EICR electrical testing programme | 460000
	6050 | Asbestos surveys and removals | 290000
	6050 | Legionella risk assessments and water hygiene | 110000
	6050 | Lift servicing and insurance inspections | 145000
	6050 | Stairlift servicing | 38000
	7110 | Building safety case – consultancy | 68000
PS204 | Void Works | 2 | Voids Manager 1@48000; Voids Surveyors 3@41500
	6040 | Void works contractor | 1780000
	6040 | Void clearances | 145000
	6170 | Void security – steel screens | 95000
	6100 | Void utilities – standing charges | 140000
	7520 | Decoration vouchers for new tenants | 92000
	6040 | Lettable standard energy upgrades (EPC C) | 140000
PS205 | Aids & Adaptations | 1 | Occupational Therapist 1@46500; Adaptations Surveyor 1@41000
	6060 | Minor adaptations – grab rails and key safes | 140000
	6060 | Major adaptations – level access showers | 420000
	6060 | Stairlift installations | 95000
PS206 | Asset Management & Sustainability | 2 | Head of Asset Management 1@72000; Asset Data Officers 2@34000; Retrofit Coordinator 1@48000; Energy and Sustainability Officer 1@42000
	7110 | Stock condition surveys (20% sample) | 240000
	7110 | EPC surveys and retrofit assessments | 160000
	7030 | Asset management system licence | 48000
	7110 | Carbon reduction strategy – consultancy | 35000
	7300 | Sustainability accreditation | 0
= Communities & Customer
CI301 | Community Investment | 3 | Head of Community Investment 1@62000; Community Development Officers 4@33800; Youth Workers 2@29500; Digital Inclusion Officer 1@31000; Resident Involvement Officers 2@32500
	1500 | Grant income – National Lottery Community Fund | 48000
	7500 | Community grants fund | 60000
	7500 | Food bank partnership grants | 18000
	7510 | Fun days and community events | 22000
	7510 | Holiday activities programme (with local schools) | 26000
	7510 | Health and wellbeing programme | 18500
	7510 | Befriending service – Brookvale Age Concern | 12000
	7510 | Community garden project – Millbrook estate | 9500
	7050 | Digital inclusion – tablets and data SIMs for residents | 15000
	7520 | Volunteer expenses | 6500
	7520 | Tenant scrutiny panel expenses | 7200
	7510 | Resident conference | 8000
CI302 | Money Advice & Financial Inclusion | 3 | Financial Inclusion Manager 1@46000; Money Advisers 4@32200; Welfare Benefits Advisers 3@31600; Energy Adviser 1@30500
	1500 | Grant income – water company hardship partnership | -25000
	7520 | Hardship fund – emergency payments | 45000
	7520 | Fuel vouchers – winter | 20000
	7030 | Debt advice casework system licence | 8400
CI303 | Employment & Skills | 3 | Employment and Skills Manager 1@45000; Employment Coaches 3@30200; Training Coordinator 1@29000
	1500 | Grant income – UK Shared Prosperity Fund employability | -120000
	7530 | Construction skills academy – course costs | 38000
	7530 | Job club venue hire | 4800
	7520 | Resident apprenticeship bursaries | 24000
CI304 | Community Centres | 1 | Community Centre Coordinators 2@27500; Centre Caretakers 1.5@24000
	1900 | Room hire income | -18000
	6100 | Oakfield Community Hub – electricity | 14500
	6110 | Oakfield Community Hub – gas | 9200
	6140 | Millbrook Community Centre – business rates | 6800
	6150 | Community centres – cleaning | 21000
	6210 | Community centres – repairs and maintenance | 18000
	6200 | Eastfield Community Room – lease | 12000
CX310 | Customer Contact Centre | 2 | Customer Services Manager 1@50000; Customer Services Team Leaders 4@33000; Customer Service Advisers 32@25200
	7020 | Telephony platform and call recording | 118000
	7030 | Webchat and customer portal licences | 56000
	7100 | Translation and interpreting services | 14000
	5040 | Agency advisers – peak cover | 60000
	7300 | Conference attendance | 0
CX311 | Customer Experience | 3 | Head of Customer Experience 1@68000; Insight Analysts 2@39000; Complaints Officers 3@33000
	7110 | Tenant satisfaction measures survey | 38000
	7110 | Project Horizon – customer journey mapping | 45000
	7900 | Mystery shopping programme | 8000
	7030 | Experience platform licence | 22000
CX312 | Communities & Customer Directorate | 2 | Director of Communities and Customer 1@118000; Executive Assistant 1@33000
	7900 | Directorate contingency | 300000
	7110 | Project Phoenix – external support | 90000
	7910 | Miscellaneous | 5000
= Care & Support
SH401 | Sheltered & Extra Care | 3 | Older Persons Services Manager 1@52000; Scheme Managers 14@29200; Extra Care Team Leaders 3@32000; Care Workers 28@24800; Night Care Staff 6@25600; Activities Coordinator 1@26000
	1300 | Care income – Meadowbank Court adult social care contract | -1380000
	5040 | Agency care staff | 160000
	7520 | Telecare monitoring contract | 142000
	7050 | Community alarm equipment replacement | 48000
	6100 | Scheme utilities – electricity | 185000
	6110 | Scheme utilities – gas | 160000
	6150 | Scheme cleaning contract | 120000
	7510 | Lunch club – Meadowbank Court | 9000
SH402 | Young Persons Supported Housing | 2 | Young Persons Service Manager 1@45000; Support Workers 8@27200; Night Concierge 4@24500
	1300 | Support contract income – Brookvale County Council | 640000
	6100 | Scheme utilities | 48000
	7520 | Tenancy readiness training and life skills | 9000
	6150 | Cleaning | 22000
	7050 | Furniture replacement | 0
SH403 | Homelessness Services | 2 | Homelessness Services Manager 1@48000; Hostel Support Workers 9@27000; Housing First Support Workers 4@30500; Rough Sleeper Outreach Workers 2@29000
	1500 | Grant income – Rough Sleeping Initiative | -210000
	6100 | Hostel utilities | 72000
	6170 | Hostel security and concierge | 115000
	7520 | Resettlement packs | 18000
	6210 | Hostel repairs and maintenance | 40000
SH404 | Domestic Abuse Services | 2 | Domestic Abuse Services Manager 1@44000; IDVAs 3@34000; Refuge Support Workers 5@27500; Children's Support Worker 1@27500
	1500 | Grant income – Domestic Abuse Act safe accommodation duty | -185000
	6100 | Refuge utilities | 26000
	6020 | Sanctuary scheme – target hardening works | 35000
	6150 | Refuge cleaning and maintenance | 22000
= Corporate Services
CO501 | Finance | 3 | Director of Finance 1@125000; Financial Controller 1@82000; Management Accountants 4@48500; Finance Officers 6@30500; Payroll Officers 2@30000; Procurement Manager 1@56000; Procurement and Social Value Officer 1@36000
	7130 | External audit fee | 98000
	7130 | Internal audit service | 72000
	7700 | Bank charges | 46000
	7200 | Insurance premiums – property | 820000
	7200 | Insurance premiums – liability and motor | 240000
	7100 | Treasury advisers | 38000
	7030 | Finance system licence | 110000
CO502 | ICT | 2 | Head of ICT 1@82000; ICT Analysts 8@44000; Business Systems Developers 3@52000; Service Desk Technicians 4@30000
	7030 | Housing management system licence and support | 420000
	7030 | Microsoft 365 licences | 185000
	7030 | Cyber security services | 96000
	7040 | Laptop and hardware refresh | 210000
	7020 | Network and broadband | 145000
	7020 | Mobile phone contract | 88000
CO503 | Human Resources | 2 | Head of People 1@78000; HR Business Partners 3@52000; HR Advisers 3@38000; Learning and Development Officers 2@36000
	5110 | Recruitment advertising | 95000
	5100 | Corporate training programme | 180000
	7100 | Occupational health service | 32000
	7100 | Employee assistance programme | 14000
	7900 | Staff wellbeing programme | 18000
	7900 | Staff conference | 0
CO504 | Governance & Executive | 2 | Chief Executive 1@168000; Executive Directors 3@128000; Company Secretary 1@78000; Governance Officers 2@36000; Communications Officers 3@38000
	7300 | Board members' remuneration | 145000
	7300 | Regulator of Social Housing fees | 68000
	7300 | National Housing Federation membership | 42000
	7120 | Legal fees – corporate | 85000
	7600 | Communications and marketing | 65000
	6200 | Head office lease – Brookvale House | 380000
	6140 | Business rates – head office | 165000
	6100 | Head office utilities | 98000
	6150 | Head office cleaning | 72000
CO505 | Treasury & Financing | 0 |
	1800 | Interest receivable – deposits | 135000
	5020 | SHPS pension deficit contributions | 310000
	5120 | Apprenticeship levy (held centrally) | 145000
	8000 | Interest payable – bank loans | 5420000
	8000 | Interest payable – private placement notes | 2960000
	8010 | Loan commitment and agency fees | 240000
	8100 | Depreciation – housing properties | 9150000
	8110 | Depreciation – offices and equipment | 420000
`

// parseBudget reads budgetData; it panics on a malformed line, since the data
// is part of this program.
func parseBudget(s string) []directorate {
	var ds []directorate
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			panic(err)
		}
		return v
	}
	for _, raw := range strings.Split(s, "\n") {
		f := strings.Split(raw, "|")
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		switch {
		case strings.TrimSpace(raw) == "":
		case strings.HasPrefix(raw, "= "):
			ds = append(ds, directorate{name: raw[2:]})
		case !strings.HasPrefix(raw, "\t"):
			cc := costCentre{code: f[0], name: f[1], extras: int(num(f[2]))}
			for _, p := range strings.Split(f[3], ";") {
				if p = strings.TrimSpace(p); p != "" {
					sp := strings.LastIndex(p, " ")
					fte, salary, _ := strings.Cut(p[sp+1:], "@")
					cc.posts = append(cc.posts, post{title: p[:sp], fte: num(fte), salary: num(salary)})
				}
			}
			d := &ds[len(ds)-1]
			d.ccs = append(d.ccs, cc)
		default:
			it := item{nominal: int(num(f[0])), desc: f[1]}
			amt, asText := strings.CutSuffix(f[2], "*")
			if pct, ok := strings.CutSuffix(amt, "%"); ok {
				it.ofSalaries = num(pct) / 100
			} else {
				it.pounds = num(amt)
			}
			it.asText = asText
			cc := &ds[len(ds)-1].ccs[len(ds[len(ds)-1].ccs)-1]
			cc.items = append(cc.items, it)
		}
	}
	return ds
}
