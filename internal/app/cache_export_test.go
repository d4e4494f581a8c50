package app

// CachedVoices is how many voices s keeps in memory, for tests of the
// cache's invalidation.
func CachedVoices(s *Service) int { return s.profiles.len() }
