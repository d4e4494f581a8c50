// Package compattest checks the compatible APIs' OpenAPI documents against
// the Go types that produce their JSON, in the tests of each API package.
package compattest

import (
	"encoding/json"
	"maps"
	"reflect"
	"strings"
	"testing"
)

// CheckOpenAPI fails when doc is not OpenAPI 3.1, a "$ref" in it points
// at nothing, or a schema named in types and the JSON encoding of its Go
// value disagree on a field.
func CheckOpenAPI(t *testing.T, doc []byte, types map[string]any) {
	t.Helper()
	var tree map[string]any
	if err := json.Unmarshal(doc, &tree); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if v, _ := tree["openapi"].(string); !strings.HasPrefix(v, "3.1") {
		t.Errorf("openapi = %q, want 3.1.x", v)
	}
	if n := checkRefs(t, tree, tree); n < 5 {
		t.Errorf("only %d $refs found", n)
	}
	schemas, _ := tree["components"].(map[string]any)["schemas"].(map[string]any)
	for name, v := range types {
		schema, ok := schemas[name].(map[string]any)
		if !ok {
			t.Errorf("schema %s missing", name)
			continue
		}
		props, _ := schema["properties"].(map[string]any)
		fields := JSONFields(reflect.TypeOf(v))
		for f := range fields {
			if _, ok := props[f]; !ok {
				t.Errorf("schema %s lacks field %q", name, f)
			}
		}
		for f := range props {
			if !fields[f] {
				t.Errorf("schema %s lists %q, which %T does not have", name, f, v)
			}
		}
	}
}

// checkRefs fails on every "$ref" under v that resolves to nothing in
// root, and counts them.
func checkRefs(t *testing.T, root map[string]any, v any) int {
	n := 0
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["$ref"].(string); ok {
			n++
			var node any = root
			for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
				m, _ := node.(map[string]any)
				node = m[part]
			}
			if node == nil {
				t.Errorf("$ref %q resolves to nothing", ref)
			}
		}
		for _, x := range v {
			n += checkRefs(t, root, x)
		}
	case []any:
		for _, x := range v {
			n += checkRefs(t, root, x)
		}
	}
	return n
}

// JSONFields returns the JSON names of a struct's encoded fields.
func JSONFields(typ reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			// encoding/json and json v2 both inline an embedded struct.
			maps.Copy(out, JSONFields(f.Type))
			continue
		}
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = true
	}
	return out
}
