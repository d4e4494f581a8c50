package eval

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText writes the report as aligned tables for people.
func WriteText(w io.Writer, rep *Report) error {
	if rep.Engine != "" {
		fmt.Fprintf(w, "engine %s\n\n", rep.Engine)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "speaker\tref\tid_acc\tid_acc_norm\tmargin\tmargin_norm\treal_id\treal_id_norm\tdecoy_win\tdecoy_norm\tf0_ref\tf0_real\tf0_clone\tf0_err_st\twer\tbase_wer\tloop_wer\tbase_loop\theld\theld_wer\treal_wer\tclone_s\trtf\t2nd:id_floor\tmargin_floor\treal_floor\t")
	for _, s := range rep.Speakers {
		fmt.Fprintf(tw, "%s\t%d/%.0fs\t%.2f\t%.2f\t%+.3f\t%+.3f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.2f\t%.3f\t%s\t\n",
			s.Speaker, s.ReferenceUtts, s.ReferenceSeconds, s.IDAcc, s.IDAccNorm, s.Margin, s.MarginNorm,
			opt(s.RealIDAcc, "%.2f"), opt(s.RealIDAccNorm, "%.2f"), opt(s.DecoyWin, "%.2f"), opt(s.DecoyWinNorm, "%.2f"),
			opt(s.ReferenceF0Hz, "%.0f"),
			opt(s.RealF0Hz, "%.0f"), opt(s.CloneF0Hz, "%.0f"),
			opt(s.F0ErrorST, "%.2f"), werColumns(s.Scores), s.CloneSeconds, s.RTF, floorColumns(s.Scores))
	}
	o := rep.Overall
	fmt.Fprintf(tw, "OVERALL\t\t%.2f\t%.2f\t%+.3f\t%+.3f\t%s\t%s\t%s\t%s\t\t\t\t%s\t%s\t%.2f\t%.3f\t%s\t\n",
		o.IDAcc, o.IDAccNorm, o.Margin, o.MarginNorm, opt(o.RealIDAcc, "%.2f"), opt(o.RealIDAccNorm, "%.2f"),
		opt(o.DecoyWin, "%.2f"), opt(o.DecoyWinNorm, "%.2f"),
		opt(o.F0ErrorST, "%.2f"), werColumns(o), o.CloneSeconds, o.RTF, floorColumns(o))
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nspeakers %d (chance %.2f), sentences %d; id_acc_norm 95%% CI [%.2f, %.2f] (bootstrap over speakers)\n",
		len(rep.Speakers), rep.Chance, rep.Sentences, rep.IDAccNormCI[0], rep.IDAccNormCI[1])
	fmt.Fprintf(w, "2nd: a secondary identifier whose speech frames must also stand %d dB above each recording's noise floor (docs/evaluation.md); not the protocol's figure\n", floorMarginDB)
	fmt.Fprintf(w, "clone F0 against the reference half (engine only, no speaker drift): %s st\n", opt(o.F0RefErrorST, "%.2f"))
	if len(rep.Skipped) > 0 {
		fmt.Fprintf(w, "skipped (fewer than two files): %v\n", rep.Skipped)
	}
	if len(rep.Frontier) > 0 {
		fmt.Fprintln(w, "\nsimilarity frontier:")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "similarity\tid_acc\tid_acc_norm\tmargin_norm\tdecoy_norm\tf0_err_st\twer\tloop_wer\t")
		for _, p := range rep.Frontier {
			fmt.Fprintf(tw, "%.2f\t%.2f\t%.2f\t%+.3f\t%s\t%s\t%s\t%s\t\n", p.Similarity, p.IDAcc, p.IDAccNorm,
				p.MarginNorm, opt(p.DecoyWinNorm, "%.2f"), opt(p.F0ErrorST, "%.2f"), opt(p.WER, "%.3f"), opt(p.LoopWER, "%.3f"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if err := writeDegraded(w, rep); err != nil {
		return err
	}
	p := rep.Phases
	_, err := fmt.Fprintf(w, "evaluation time %.1f s (prepare %.1f, train %.1f, synthesize %.1f, identify %.1f, recognize %.1f)\n",
		rep.RuntimeSeconds, p.Prepare, p.Train, p.Synthesize, p.Identify, p.Recognize)
	return err
}

// floorColumns are the secondary identifier's columns (frames above the
// noise floor), set apart from the protocol's by the header's "2nd:".
func floorColumns(s Scores) string {
	return opt(s.IDAccNormFloor, "%.2f") + "\t" + opt(s.MarginNormFloor, "%+.3f") + "\t" + opt(s.RealIDAccNormFloor, "%.2f")
}

// werColumns are the word error rate columns of the speaker table.
func werColumns(s Scores) string {
	return opt(s.WER, "%.3f") + "\t" + opt(s.BaseWER, "%.3f") + "\t" + opt(s.LoopWER, "%.3f") + "\t" +
		opt(s.BaseLoopWER, "%.3f") + "\t" + fmt.Sprint(s.HeldTexts) + "\t" + opt(s.HeldWER, "%.3f") + "\t" + opt(s.RealWER, "%.3f")
}

// writeDegraded writes the table of clones from degraded references.
func writeDegraded(w io.Writer, rep *Report) error {
	if len(rep.Degraded) == 0 {
		return nil
	}
	fmt.Fprintln(w, "\ncloned from degraded references (default setting):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "degradation\tid_acc\tid_acc_norm\tof_clean\tmargin_norm\tdecoy_norm\tf0_err_st\twer\twer_delta\tloop_wer\trejected\t")
	for _, p := range rep.Degraded {
		rejected := "-"
		if len(p.Rejected) > 0 {
			rejected = strings.Join(p.Rejected, ",")
		}
		fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%s\t%+.3f\t%s\t%s\t%s\t%s\t%s\t%s\t\n", p.Degradation, p.IDAcc, p.IDAccNorm,
			opt(p.IDAccNormRatio, "%.2f"), p.MarginNorm, opt(p.DecoyWinNorm, "%.2f"), opt(p.F0ErrorST, "%.2f"),
			opt(p.WER, "%.3f"), opt(p.WERDelta, "%+.3f"), opt(p.LoopWER, "%.3f"), rejected)
	}
	return tw.Flush()
}

func opt(v *float64, format string) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf(format, *v)
}
