package app

import (
	"fmt"
	"testing"
)

func TestProfileCache(t *testing.T) {
	c := newProfileCache(3)
	for i := range 3 {
		c.put(fmt.Sprint(i), []byte{byte(i)})
	}
	c.get("0") // 0 is now the most recent; 1 the least
	c.put("3", []byte{3})
	if _, ok := c.get("1"); ok {
		t.Error("least recently used entry 1 survived an insert over capacity")
	}
	for _, id := range []string{"0", "2", "3"} {
		if p, ok := c.get(id); !ok || fmt.Sprint(p.Bytes()[0]) != id {
			t.Errorf("get(%s) = %v, %v", id, p, ok)
		}
	}
	c.remove("2")
	if _, ok := c.get("2"); ok || c.len() != 2 {
		t.Errorf("after remove: len %d", c.len())
	}
	c.put("0", []byte{9})
	if p, _ := c.get("0"); p.Bytes()[0] != 9 || c.len() != 2 {
		t.Errorf("replace: %v, len %d", p, c.len())
	}
	off := newProfileCache(0)
	off.put("x", []byte{1})
	if _, ok := off.get("x"); ok {
		t.Error("a zero-size cache kept an entry")
	}
}
