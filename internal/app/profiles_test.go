package app

import (
	"fmt"
	"testing"
)

func TestProfileCache(t *testing.T) {
	c := newProfileCache(3)
	for i := range 3 {
		c.put(fmt.Sprint(i), "k", []byte{byte(i)})
	}
	c.get("0", "k") // 0 is now the most recent; 1 the least
	c.put("3", "k", []byte{3})
	if _, ok := c.get("1", "k"); ok {
		t.Error("least recently used entry 1 survived an insert over capacity")
	}
	for _, id := range []string{"0", "2", "3"} {
		if p, ok := c.get(id, "k"); !ok || fmt.Sprint(p.Bytes()[0]) != id {
			t.Errorf("get(%s) = %v, %v", id, p, ok)
		}
	}
	c.remove("2")
	if _, ok := c.get("2", "k"); ok || c.len() != 2 {
		t.Errorf("after remove: len %d", c.len())
	}
	c.put("0", "k2", []byte{9})
	if p, _ := c.get("0", "k2"); p.Bytes()[0] != 9 || c.len() != 2 {
		t.Errorf("replace: %v, len %d", p, c.len())
	}
	// A model built again elsewhere has a new profile blob: the entry
	// read from the old one must not answer for it.
	if p, ok := c.get("0", "k"); ok {
		t.Errorf("entry read from blob k2 served for blob k: %v", p.Bytes())
	}
	off := newProfileCache(0)
	off.put("x", "k", []byte{1})
	if _, ok := off.get("x", "k"); ok {
		t.Error("a zero-size cache kept an entry")
	}
}
