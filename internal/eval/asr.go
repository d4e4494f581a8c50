package eval

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/voxclone/voxclone/internal/audio"
)

// Recognizer runs CMU PocketSphinx in batch mode, either with a general
// English language model (open vocabulary: any of the dictionary's words,
// so it confuses real words the way a listener might) or with a unigram
// word loop over the words of the sentences being scored (closed
// vocabulary: it can only choose among those words, so it hides most
// confusions).
type Recognizer struct {
	// Bin is the pocketsphinx_batch executable.
	Bin string
	// Model is the acoustic model directory and Dict the full
	// pronunciation dictionary.
	Model, Dict string
	// LM is the general language model; empty means the word loop.
	LM string
}

const psModels = "/usr/share/pocketsphinx/model/en-us/"

// DefaultRecognizer is the open-vocabulary recognizer of the Debian
// pocketsphinx and pocketsphinx-en-us packages: the main intelligibility
// figure.
func DefaultRecognizer() *Recognizer {
	r := LoopRecognizer()
	r.LM = psModels + "en-us.lm.bin"
	return r
}

// LoopRecognizer is the closed-vocabulary word-loop recognizer of the
// same packages.
func LoopRecognizer() *Recognizer {
	return &Recognizer{
		Bin:   "/usr/bin/pocketsphinx_batch",
		Model: psModels + "en-us",
		Dict:  psModels + "cmudict-en-us.dict",
	}
}

// Open reports whether r uses the general language model.
func (r *Recognizer) Open() bool { return r.LM != "" }

// Check reports whether the executable and model files exist.
func (r *Recognizer) Check() error {
	paths := []string{r.Bin, r.Model, r.Dict}
	if r.Open() {
		paths = append(paths, r.LM)
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("pocketsphinx: %w (install pocketsphinx and pocketsphinx-en-us)", err)
		}
	}
	return nil
}

// Transcribe decodes each utterance (16 kHz mono), returning one hypothesis
// per utterance in order. The word loop is built from the words of
// sentences; the open-vocabulary recognizer ignores them. The open
// vocabulary costs about 0.5 CPU seconds per second of audio, and a
// machine busy with other work stretched that more than tenfold in wall
// time (load 25 on 2 cores), so the process gets 2 minutes plus thirty
// times the audio's duration before it is taken to hang; it is killed
// when ctx ends.
func (r *Recognizer) Transcribe(ctx context.Context, utts []*audio.PCM, sentences []string) ([]string, error) {
	if len(utts) == 0 {
		return nil, nil
	}
	dir, err := os.MkdirTemp("", "voxclone-asr-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	lm, dict := r.LM, r.Dict
	if !r.Open() {
		if err := r.writeModels(dir, sentences); err != nil {
			return nil, err
		}
		lm, dict = filepath.Join(dir, "lm.arpa"), filepath.Join(dir, "dict")
	}
	var ctl strings.Builder
	var total float64
	for i, u := range utts {
		if u.Rate != featRate || u.Channels != 1 {
			return nil, fmt.Errorf("pocketsphinx: utterance %d is %d Hz × %d, want 16 kHz mono", i, u.Rate, u.Channels)
		}
		id := fmt.Sprintf("u%05d", i)
		if err := os.WriteFile(filepath.Join(dir, id+".raw"), rawS16(u.Samples), 0o600); err != nil {
			return nil, err
		}
		fmt.Fprintln(&ctl, id)
		total += u.Seconds()
	}
	if err := os.WriteFile(filepath.Join(dir, "ctl"), []byte(ctl.String()), 0o600); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute+time.Duration(30*total*float64(time.Second)))
	defer cancel()
	cmd := exec.CommandContext(ctx, r.Bin,
		"-hmm", r.Model, "-lm", lm, "-dict", dict,
		"-ctl", filepath.Join(dir, "ctl"), "-cepdir", dir, "-cepext", ".raw", "-adcin", "yes",
		"-samprate", "16000", "-hyp", filepath.Join(dir, "hyp"), "-logfn", filepath.Join(dir, "log"))
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pocketsphinx: %w: %s%s", err, tail(out), tailFile(filepath.Join(dir, "log")))
	}
	return readHyps(filepath.Join(dir, "hyp"), len(utts))
}

// writeModels writes the unigram language model and the dictionary subset.
// Unigram probabilities follow word counts in the sentences.
func (r *Recognizer) writeModels(dir string, sentences []string) error {
	counts := map[string]int{}
	total := 0
	for _, s := range sentences {
		for _, w := range NormalizeWords(s) {
			counts[w]++
			total++
		}
	}
	if total == 0 {
		return errors.New("pocketsphinx: empty vocabulary")
	}
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	sort.Strings(words)
	dict, err := r.subsetDict(counts)
	if err != nil {
		return err
	}
	var lm strings.Builder
	fmt.Fprintf(&lm, "\\data\\\nngram 1=%d\n\n\\1-grams:\n", len(words)+2)
	// An end of sentence about as likely as a word per sentence.
	pEnd := float64(len(sentences)) / float64(total+len(sentences))
	fmt.Fprintf(&lm, "%.4f </s>\n-99 <s>\n", math.Log10(pEnd))
	for _, w := range words {
		fmt.Fprintf(&lm, "%.4f %s\n", math.Log10((1-pEnd)*float64(counts[w])/float64(total)), w)
	}
	lm.WriteString("\n\\end\\\n")
	if err := os.WriteFile(filepath.Join(dir, "lm.arpa"), []byte(lm.String()), 0o600); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "dict"), dict, 0o600)
}

// subsetDict keeps the dictionary entries (with their variants "word(2)")
// for the vocabulary, so the decoder loads quickly and cannot leave it.
func (r *Recognizer) subsetDict(vocab map[string]int) ([]byte, error) {
	f, err := os.Open(r.Dict)
	if err != nil {
		return nil, fmt.Errorf("pocketsphinx dictionary: %w", err)
	}
	defer f.Close()
	var out bytes.Buffer
	found := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		head, _, _ := strings.Cut(line, " ")
		base, _, _ := strings.Cut(head, "(")
		if _, ok := vocab[base]; ok {
			out.WriteString(line)
			out.WriteByte('\n')
			found[base] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	var missing []string
	for w := range vocab {
		if !found[w] {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return nil, fmt.Errorf("pocketsphinx: words not in the dictionary: %s", strings.Join(missing, " "))
	}
	return out.Bytes(), nil
}

// readHyps parses "word word (uttid score)" lines into hypotheses by id.
func readHyps(path string, n int) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pocketsphinx: %w", err)
	}
	hyps := make([]string, n)
	seen := 0
	for _, line := range strings.Split(string(b), "\n") {
		i := strings.LastIndex(line, "(")
		if i < 0 {
			continue
		}
		var idx int
		if _, err := fmt.Sscanf(line[i+1:], "u%d", &idx); err != nil || idx < 0 || idx >= n {
			continue
		}
		hyps[idx] = strings.TrimSpace(line[:i])
		seen++
	}
	if seen != n {
		return nil, fmt.Errorf("pocketsphinx: %d hypotheses for %d utterances", seen, n)
	}
	return hyps, nil
}

func rawS16(x []float32) []byte {
	b := make([]byte, 2*len(x))
	for i, v := range x {
		s := math.Round(float64(v) * 32767)
		s = max(-32768, min(32767, s))
		binary.LittleEndian.PutUint16(b[2*i:], uint16(int16(s)))
	}
	return b
}

func tail(b []byte) string {
	const keep = 400
	if len(b) > keep {
		b = b[len(b)-keep:]
	}
	return strings.TrimSpace(string(b))
}

func tailFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return " log: " + tail(b)
}
