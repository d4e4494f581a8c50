package elevenlabs

import (
	"net/http"

	"github.com/voxclone/voxclone/internal/app"
)

// Model is ElevenLabs' model object. Every id selects voxclone's one
// engine; the ids exist so that code naming ElevenLabs' models runs
// unchanged.
type Model struct {
	ModelID              string     `json:"model_id"`
	Name                 string     `json:"name"`
	Description          string     `json:"description"`
	CanDoTextToSpeech    bool       `json:"can_do_text_to_speech"`
	CanDoVoiceConversion bool       `json:"can_do_voice_conversion"`
	CanBeFinetuned       bool       `json:"can_be_finetuned"`
	CanUseStyle          bool       `json:"can_use_style"`
	CanUseSpeakerBoost   bool       `json:"can_use_speaker_boost"`
	ServesProVoices      bool       `json:"serves_pro_voices"`
	TokenCostFactor      float64    `json:"token_cost_factor"`
	RequiresAlphaAccess  bool       `json:"requires_alpha_access"`
	MaxCharsFree         int        `json:"max_characters_request_free_user"`
	MaxCharsSubscribed   int        `json:"max_characters_request_subscribed_user"`
	MaxTextLength        int        `json:"maximum_text_length_per_request"`
	Languages            []Language `json:"languages"`
}

// Language is a language a model speaks.
type Language struct {
	LanguageID string `json:"language_id"`
	Name       string `json:"name"`
}

// models lists the model ids text-to-speech accepts.
var models = func() []Model {
	ids := []struct{ id, name string }{
		{"voxclone", "voxclone"},
		{"eleven_multilingual_v2", "Eleven Multilingual v2 (voxclone)"},
		{"eleven_flash_v2_5", "Eleven Flash v2.5 (voxclone)"},
		{"eleven_turbo_v2_5", "Eleven Turbo v2.5 (voxclone)"},
		{"eleven_flash_v2", "Eleven Flash v2 (voxclone)"},
		{"eleven_turbo_v2", "Eleven Turbo v2 (voxclone)"},
		{"eleven_v3", "Eleven v3 (voxclone)"},
		{"eleven_monolingual_v1", "Eleven English v1 (voxclone)"},
		{"eleven_multilingual_v1", "Eleven Multilingual v1 (voxclone)"},
	}
	out := make([]Model, 0, len(ids))
	for _, m := range ids {
		out = append(out, Model{ModelID: m.id, Name: m.name, CanDoTextToSpeech: true, TokenCostFactor: 1,
			Description:  "voxclone's voice-cloning engine; every model id selects it.",
			MaxCharsFree: app.MaxStreamTextRunes, MaxCharsSubscribed: app.MaxStreamTextRunes, MaxTextLength: app.MaxStreamTextRunes,
			Languages: []Language{{LanguageID: "en", Name: "English"}}})
	}
	return out
}()

// ListModels serves GET /v1/models: a JSON array, as ElevenLabs answers.
func (h *Handler) ListModels(w http.ResponseWriter, r *http.Request, _ app.User) {
	h.writeJSON(w, http.StatusOK, models)
}

// User is the minimal user object: the fields ElevenLabs' clients require,
// with a subscription that has no character or voice limits of its own
// (voxclone's rate limits apply instead).
type User struct {
	UserID                         string       `json:"user_id"`
	WorkspaceID                    string       `json:"workspace_id"`
	Subscription                   Subscription `json:"subscription"`
	IsNewUser                      bool         `json:"is_new_user"`
	CanUseDelayedPaymentMethods    bool         `json:"can_use_delayed_payment_methods"`
	IsOnboardingCompleted          bool         `json:"is_onboarding_completed"`
	IsOnboardingChecklistCompleted bool         `json:"is_onboarding_checklist_completed"`
	FirstName                      string       `json:"first_name"`
	CreatedAt                      int64        `json:"created_at"`
	SeatType                       string       `json:"seat_type"`
}

// Subscription is ElevenLabs' subscription object with voxclone's values.
type Subscription struct {
	Tier                         string `json:"tier"`
	CharacterCount               int    `json:"character_count"`
	CharacterLimit               int    `json:"character_limit"`
	MaxCreditLimitExtension      string `json:"max_credit_limit_extension"`
	CanExtendCharacterLimit      bool   `json:"can_extend_character_limit"`
	AllowedToExtendLimit         bool   `json:"allowed_to_extend_character_limit"`
	VoiceSlotsUsed               int    `json:"voice_slots_used"`
	ProfessionalVoiceSlotsUsed   int    `json:"professional_voice_slots_used"`
	ProfessionalSlotsInWorkspace int    `json:"professional_voice_slots_used_in_workspace"`
	VoiceLimit                   int    `json:"voice_limit"`
	VoiceAddEditCounter          int    `json:"voice_add_edit_counter"`
	ProfessionalVoiceLimit       int    `json:"professional_voice_limit"`
	CanExtendVoiceLimit          bool   `json:"can_extend_voice_limit"`
	CanUseInstantVoiceCloning    bool   `json:"can_use_instant_voice_cloning"`
	CanUseProfessionalCloning    bool   `json:"can_use_professional_voice_cloning"`
	CurrentOverage               Price  `json:"current_overage"`
	Status                       string `json:"status"`
}

// Price is an amount of money; voxclone charges nothing.
type Price struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

// unlimited stands for "no limit" where ElevenLabs wants a number.
const unlimited = 1 << 30

// GetUser serves GET /v1/user.
func (h *Handler) GetUser(w http.ResponseWriter, r *http.Request, u app.User) {
	list, err := h.svc.ListModels(r.Context(), u.ID)
	if err != nil {
		WriteError(w, r, h.log, err)
		return
	}
	h.writeJSON(w, http.StatusOK, User{
		UserID: u.ID, WorkspaceID: u.ID, IsOnboardingCompleted: true, IsOnboardingChecklistCompleted: true,
		FirstName: "", CreatedAt: u.CreatedAt.Unix(), SeatType: "workspace_admin",
		Subscription: Subscription{Tier: "voxclone", CharacterLimit: unlimited, MaxCreditLimitExtension: "unlimited",
			VoiceSlotsUsed: len(list), VoiceLimit: unlimited, CanUseInstantVoiceCloning: true,
			CurrentOverage: Price{Amount: "0", Currency: "usd"}, Status: "active"},
	})
}
