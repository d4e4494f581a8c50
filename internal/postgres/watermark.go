package postgres

import (
	"context"
	"strings"

	"github.com/voxclone/voxclone/internal/app"
)

// AddWatermark records the payload marked into a synthesis's audio.
func (db *DB) AddWatermark(ctx context.Context, synthesisID string, payload uint32) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO synthesis_watermarks (synthesis_id, payload) VALUES ($1, $2)`,
		synthesisID, int64(payload))
	return mapErr(err, "watermark")
}

// FindWatermark returns the newest recorded synthesis marked with payload,
// whoever owns it.
func (db *DB) FindWatermark(ctx context.Context, payload uint32) (app.Synthesis, error) {
	s, err := scanSynthesis(db.pool.QueryRow(ctx, `SELECT `+prefixed("h.", synthesisColumns)+`
		FROM synthesis_watermarks w JOIN voice_synthesis_history h ON h.id = w.synthesis_id
		WHERE w.payload = $1 ORDER BY h.created_at DESC, h.id DESC LIMIT 1`, int64(payload)))
	if err != nil {
		return app.Synthesis{}, mapErr(err, "synthesis")
	}
	return s, nil
}

// prefixed qualifies each of a comma-separated column list with p.
func prefixed(p, columns string) string {
	parts := strings.Split(columns, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}
