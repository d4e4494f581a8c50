// Copyright ©2018 The Gonum Authors. All rights reserved.
// Use of this source code is governed by a BSD-style
// license that can be found in the LICENSE file.

// Package fftpack is gonum's real FFT and DCT (gonum.org/v1/gonum
// v0.17.0, dsp/fourier and its internal fftpack: rfft.go, cost.go and
// helpers.go verbatim, array.go, fft.go and dct.go adapted), with one
// change: the Fortran-style array helpers take pointer receivers.
//
// With value receivers the Go 1.26 compiler copies the 32-byte helper
// struct to a stack temporary before every element access and reads its
// fields back. That made a transform pair of 1,024 points take ≈ 30 µs,
// and 4.5–9× longer when the temporary sat at an unlucky offset modulo
// 4 KiB from the page-aligned work arrays (4K aliasing; see
// docs/performance.md, "Enrolment speed (2026-12-06, night)"). With
// pointer receivers the same transform takes ≈ 15 µs at every stack
// offset. The arithmetic, and so every output bit, is unchanged:
// TestSameAsGonum and TestDCTSameAsGonum compare the two. Every FFT of
// the service goes through it, so no stage can land in a slow window;
// when gonum's helpers take pointer receivers, this package goes and the
// callers return to gonum.org/v1/gonum/dsp/fourier.
package fftpack
