package api

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// The document is valid OpenAPI 3.1: checked against the specification's
// own schema, and for the keywords of 3.0 that 3.1 dropped, which that
// schema lets through since JSON Schema ignores unknown keywords.
func TestOpenAPIDocumentIsValid31(t *testing.T) {
	var tree any
	if err := json.Unmarshal(openAPI, &tree); err != nil {
		t.Fatal(err)
	}
	for _, where := range keywordsOf30(tree, "#") {
		t.Errorf("%s: a keyword of OpenAPI 3.0, not 3.1 (write \"type\": [\"string\", \"null\"] for nullable)", where)
	}
	doc, err := libopenapi.NewDocument(openAPI)
	if err != nil {
		t.Fatal(err)
	}
	if v := doc.GetVersion(); v != "3.1.0" {
		t.Fatalf("openapi %q, want 3.1.0", v)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if ok, errs := v.ValidateDocument(); !ok {
		for _, e := range errs {
			t.Errorf("%s: %s", e.Message, e.Reason)
			for _, f := range e.SchemaValidationErrors {
				t.Errorf("  %s at %s (%s)", f.Reason, f.FieldPath, f.KeywordLocation)
			}
		}
	}
}

// keywordsOf30 lists where node uses nullable, or exclusiveMinimum and
// exclusiveMaximum as booleans, as OpenAPI 3.0 did.
func keywordsOf30(node any, at string) []string {
	var out []string
	switch n := node.(type) {
	case map[string]any:
		for k, v := range n {
			_, isBool := v.(bool)
			if k == "nullable" || (k == "exclusiveMinimum" || k == "exclusiveMaximum") && isBool {
				out = append(out, at+"/"+k)
			}
			out = append(out, keywordsOf30(v, at+"/"+k)...)
		}
	case []any:
		for i, v := range n {
			out = append(out, keywordsOf30(v, fmt.Sprintf("%s/%d", at, i))...)
		}
	}
	return out
}
