package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rencontres/rencontres/internal/rencontres"
	"github.com/rencontres/rencontres/internal/sheet"
)

// importFlags are what both spreadsheet imports (contacts, partnerships)
// take beside their own: the database, --dry-run, --sheet, --encoding and
// the language of the messages.
type importFlags struct {
	dbFlags
	dryRun          bool
	sheet, encoding string
	lang            string
}

func (f *importFlags) register(fs *flag.FlagSet) {
	f.dbFlags.register(fs)
	fs.BoolVar(&f.dryRun, "dry-run", false, "print the preview and write nothing")
	fs.StringVar(&f.sheet, "sheet", "", "sheet of an .xlsx workbook (the first when empty)")
	fs.StringVar(&f.encoding, "encoding", "", "encoding of a CSV file: "+strings.Join(sheet.Encodings, ", ")+" (detected when empty)")
	fs.StringVar(&f.lang, "lang", "en", "language of the messages: fr, ja or en")
}

// parse reads an import's arguments, its one FILE before or after the
// flags, and returns the file's name and bytes and the language of the
// messages.
func (f *importFlags) parse(fs *flag.FlagSet, args []string, stdout io.Writer) (file string, data []byte, l rencontres.Lang, err error) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return "", nil, "", parse(fs, args, stdout)
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 || file == "" {
		return "", nil, "", usageError{fmt.Sprintf("%s: want one FILE (see 'rencontres %s -h')", fs.Name(), fs.Name())}
	}
	l, ok := rencontres.ParseLang(f.lang)
	if !ok {
		return "", nil, "", usageError{fmt.Sprintf("%s: -lang %q: want fr, ja or en", fs.Name(), f.lang)}
	}
	data, err = os.ReadFile(file)
	return file, data, l, err
}
