// Package hooks holds what every kind of receiver hook shares: hook objects persisted in
// the swarm, 256-bit tokens shown once and stored as their SHA-256 (compared in constant
// time, the same answer for every failure), revocation, rejected-delivery counting,
// per-hook rate limits and the write-behind delivery history; and the deploy hooks
// (deploy*.go), whose deliveries deploy pushed images to a stack.
//
// The actions behind the hooks are elsewhere: package scaler scales services for scale
// hooks; a Deployer (package stacks) makes the revision of a deploy hook's push, and a
// Resolver (package registries) pins its tag to a digest.
package hooks
