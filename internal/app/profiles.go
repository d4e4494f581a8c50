package app

import (
	"container/list"
	"sync"
)

// profileCache keeps the most recently used voice profiles in memory, keyed
// by model id, so repeated syntheses skip the blob read. It is bounded by
// entry count and safe for concurrent use. Profiles never change once
// built; deleting a model removes its entry.
type profileCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front is most recent; values are *profileEntry
	byID  map[string]*list.Element
}

type profileEntry struct {
	id      string
	profile []byte
}

func newProfileCache(max int) *profileCache {
	return &profileCache{max: max, order: list.New(), byID: map[string]*list.Element{}}
}

func (c *profileCache) get(id string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byID[id]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*profileEntry).profile, true
}

func (c *profileCache) put(id string, profile []byte) {
	if c.max <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[id]; ok {
		e.Value.(*profileEntry).profile = profile
		c.order.MoveToFront(e)
		return
	}
	c.byID[id] = c.order.PushFront(&profileEntry{id: id, profile: profile})
	for c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.byID, old.Value.(*profileEntry).id)
	}
}

func (c *profileCache) remove(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[id]; ok {
		c.order.Remove(e)
		delete(c.byID, id)
	}
}

func (c *profileCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
