package app

import (
	"container/list"
	"sync"

	"github.com/voxclone/voxclone/internal/voice"
)

// profileCache keeps the most recently used voices in memory, keyed by
// model id, so repeated syntheses skip the blob read and, through
// voice.Voice, parsing the profile and deriving its conversion: 3–12 ms
// of CPU before each stream's first chunk could start. It is bounded by
// entry count and safe for concurrent use. An entry counts only for the
// profile blob it was read from: every build writes a new blob, so a
// model built again, by this process or another sharing the store, is
// never served its old voice. Deleting a model removes its entry, so a
// deleted voice is not kept in memory.
type profileCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // front is most recent; values are *profileEntry
	byID  map[string]*list.Element
}

type profileEntry struct {
	id, key string // model id, profile blob key
	voice   *voice.Voice
}

func newProfileCache(max int) *profileCache {
	return &profileCache{max: max, order: list.New(), byID: map[string]*list.Element{}}
}

// get returns model id's voice if it was read from the blob key.
func (c *profileCache) get(id, key string) (*voice.Voice, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byID[id]
	if !ok || e.Value.(*profileEntry).key != key {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*profileEntry).voice, true
}

// put keeps profile, read from the blob key, as model id's voice and
// returns it (uncached when the cache is off).
func (c *profileCache) put(id, key string, profile []byte) *voice.Voice {
	v := voice.NewVoice(profile)
	if c.max <= 0 {
		return v
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byID[id]; ok {
		*e.Value.(*profileEntry) = profileEntry{id: id, key: key, voice: v}
		c.order.MoveToFront(e)
		return v
	}
	c.byID[id] = c.order.PushFront(&profileEntry{id: id, key: key, voice: v})
	for c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.byID, old.Value.(*profileEntry).id)
	}
	return v
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
