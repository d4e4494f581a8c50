package app

import (
	"context"
	"strconv"

	"golang.org/x/crypto/bcrypt"
)

// DeleteAccount deletes the user's account after checking their password
// again: every row of theirs on the store and every blob those rows name.
// The queue forgets their tasks in the same transaction. Their login
// tokens stop working because Authenticate finds no user, and their API
// keys are deleted with their rows.
//
// An empty password is EInvalid and counts for nothing. A wrong one is
// EForbidden (the session stays valid) and counts as
// a failed login against the account's email and the client address of
// ctx (see WithRequest), under the same limits as LoginFrom, so a stolen
// session cannot be used to guess the password. The returned status is
// that of the tighter budget.
//
// The deletion itself is recorded in the audit log with no user: its
// subject is the deleted account's id, and it is pruned like every event.
func (s *Service) DeleteAccount(ctx context.Context, userID, password string) (RateStatus, error) {
	if password == "" {
		// A request without the password is malformed, not a guess: it
		// must not spend the login budget of the account's owner.
		return RateStatus{}, Errorf(EInvalid, `Enter your password to delete your account: {"password":"…"}.`)
	}
	client := RequestFrom(ctx).Client
	if err := checkClient(client); err != nil {
		return RateStatus{}, err
	}
	u, err := s.store.FindUserByID(ctx, userID)
	if err != nil {
		return RateStatus{}, err
	}
	_, hash, err := s.store.FindUserByEmail(ctx, u.Email)
	if err != nil {
		return RateStatus{}, err
	}
	now := s.now()
	held, st, err := s.takeAll(ctx, s.loginSlots(u.Email, client), now)
	if err != nil {
		return st, err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return st, Errorf(EForbidden, "Wrong password: your account was not deleted.")
	}
	s.release(ctx, held, ActionLogin, now)
	st.Remaining = min(st.Remaining+1, st.Limit)
	models, err := s.store.ListModels(ctx, u.ID)
	if err != nil {
		return st, err
	}
	keys, err := s.store.DeleteUser(ctx, u.ID, func(ctx context.Context, tx Tx) error {
		return s.queue.ForgetUserTx(ctx, tx, u.ID)
	})
	if err != nil {
		return st, err
	}
	// The parsed voices go from memory too, as when a model is deleted.
	for _, m := range models {
		s.profiles.remove(m.ID)
	}
	s.deleteBlobs(ctx, keys...)
	s.Audit(ctx, Event{Kind: AuditAccountDeleted, Subject: u.ID, Detail: strconv.Itoa(len(keys)) + " files"})
	return st, nil
}
