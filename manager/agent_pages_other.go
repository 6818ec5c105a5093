//go:build !linux

package main

// dropBinaryPages is a Linux matter: elsewhere the agent keeps what it mapped.
func dropBinaryPages() {}
