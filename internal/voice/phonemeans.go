package voice

import "github.com/voxclone/voxclone/internal/voice/align"

// phoneMean is the mean mel-cepstrum (c0…cM) of the frames of one phone or
// phone class with one voicing.
type phoneMean struct {
	N    int       `json:"n"`
	Mean []float64 `json:"mean"`
}

// phoneTable holds phoneMeans by phoneKey, at phone and at class level.
type phoneTable struct {
	Phones  map[string]phoneMean `json:"phones"`
	Classes map[string]phoneMean `json:"classes"`
}

// phoneKey names a phone or class with a voicing (0 unvoiced, 1 voiced):
// a voiced and a devoiced "z" have different spectra.
func phoneKey(name string, voiced int) string {
	if voiced == 1 {
		return name + "/v"
	}
	return name + "/u"
}

// splitKey is the inverse of phoneKey.
func splitKey(k string) (name string, voiced int) {
	if len(k) < 2 {
		return k, 0
	}
	if k[len(k)-1] == 'v' {
		voiced = 1
	}
	return k[:len(k)-2], voiced
}

// voicing is 1 for a voiced frame (F0 > 0), else 0.
func voicing(f0 float64) int {
	if f0 > 0 {
		return 1
	}
	return 0
}

// phoneMeans averages a pool's frames per phone and per class, each split
// by voicing; nil for an empty pool.
func phoneMeans(p *Pool) *phoneTable {
	if p == nil || p.Len() == 0 {
		return nil
	}
	t := &phoneTable{Phones: map[string]phoneMean{}, Classes: map[string]phoneMean{}}
	add := func(tab map[string]phoneMean, key string, mc []float32) {
		m := tab[key]
		if m.Mean == nil {
			m.Mean = make([]float64, len(mc))
		}
		m.N++
		for i, v := range mc {
			m.Mean[i] += float64(v)
		}
		tab[key] = m
	}
	for i := range p.Phone {
		ph := p.Phones[p.Phone[i]]
		v := voicing(float64(p.LogF0[i]))
		add(t.Phones, phoneKey(ph, v), p.Frame(i))
		add(t.Classes, phoneKey(align.Class(ph), v), p.Frame(i))
	}
	for _, tab := range []map[string]phoneMean{t.Phones, t.Classes} {
		for _, m := range tab {
			for i := range m.Mean {
				m.Mean[i] /= float64(m.N)
			}
		}
	}
	return t
}
