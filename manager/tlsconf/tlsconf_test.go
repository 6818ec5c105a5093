package tlsconf

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

var now = time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)

func newTestCA(t *testing.T) (*CA, []byte) {
	t.Helper()
	certPEM, keyPEM, err := NewCA("EXOS CA test", now)
	assert.NilError(t, err)
	ca, err := LoadCA(certPEM, keyPEM)
	assert.NilError(t, err)
	return ca, certPEM
}

func TestNewCA(t *testing.T) {
	certPEM, keyPEM, err := NewCA("EXOS CA swarm1", now)
	assert.NilError(t, err)
	assert.Check(t, !bytes.Contains(certPEM, []byte("PRIVATE KEY")), "the certificate PEM carries no key")
	assert.Check(t, bytes.Contains(keyPEM, []byte("BEGIN PRIVATE KEY")))
	certs, err := ParseCertificates(certPEM)
	assert.NilError(t, err)
	c := certs[0]
	assert.Check(t, c.IsCA && c.MaxPathLenZero)
	assert.Check(t, is.Equal(c.Subject.CommonName, "EXOS CA swarm1"))
	assert.Check(t, c.KeyUsage&x509.KeyUsageCertSign != 0)
	assert.Check(t, c.NotAfter.Sub(now) >= 20*365*24*time.Hour, "long-lived: %s", c.NotAfter)
	assert.Check(t, c.NotBefore.Before(now))
	pub, ok := c.PublicKey.(*ecdsa.PublicKey)
	assert.Assert(t, ok, "ECDSA")
	assert.Check(t, is.Equal(pub.Curve, elliptic.P256()))
}

func TestLoadCARefusesAnotherKey(t *testing.T) {
	certPEM, _, err := NewCA("a", now)
	assert.NilError(t, err)
	_, otherKey, err := NewCA("b", now)
	assert.NilError(t, err)
	_, err = LoadCA(certPEM, otherKey)
	assert.ErrorContains(t, err, "failed to load the CA")
}

func TestIssue(t *testing.T) {
	ca, caPEM := newTestCA(t)
	cert, err := ca.Issue([]string{"10.0.0.5", "node1", "NODE1", "10.0.0.5", "::1", "localhost", "127.0.0.1"}, now)
	assert.NilError(t, err)
	leaf := cert.Leaf
	assert.Check(t, is.DeepEqual(leaf.DNSNames, []string{"localhost", "node1"}))
	assert.Check(t, is.DeepEqual(Hosts(leaf), []string{"10.0.0.5", "127.0.0.1", "::1", "localhost", "node1"}))
	assert.Check(t, !leaf.IsCA)
	assert.Check(t, is.DeepEqual(leaf.ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}))
	assert.Check(t, is.Equal(leaf.NotAfter, now.Add(ServerValidity).Truncate(time.Second)))
	roots, err := ParseCertificates(caPEM)
	assert.NilError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(roots[0])
	for _, host := range []string{"10.0.0.5", "node1", "localhost"} {
		_, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: host, CurrentTime: now})
		assert.Check(t, err, "valid for %s", host)
	}
	_, err = leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "10.0.0.6", CurrentTime: now})
	assert.Check(t, is.ErrorContains(err, "not 10.0.0.6"))
}

func TestIssueNeverOutlivesTheCA(t *testing.T) {
	ca, _ := newTestCA(t)
	late := now.Add(CAValidity - 24*time.Hour)
	cert, err := ca.Issue([]string{"node1"}, late)
	assert.NilError(t, err)
	assert.Check(t, !cert.Leaf.NotAfter.After(ca.Cert.NotAfter))
}

func TestIssueNeedsAHost(t *testing.T) {
	ca, _ := newTestCA(t)
	_, err := ca.Issue(nil, now)
	assert.ErrorContains(t, err, "no address or name")
}

func TestNeedsReissue(t *testing.T) {
	ca, _ := newTestCA(t)
	cert, err := ca.Issue([]string{"10.0.0.5", "node1"}, now)
	assert.NilError(t, err)
	testCases := []struct {
		name  string
		hosts []string
		at    time.Time
		want  string
	}{
		{name: "same nodes, fresh", hosts: []string{"node1", "10.0.0.5"}, at: now.Add(time.Hour)},
		{name: "same nodes written differently", hosts: []string{"NODE1", "10.0.0.5", "node1"}, at: now},
		{name: "a manager node joined", hosts: []string{"10.0.0.5", "node1", "10.0.0.6", "node2"}, at: now, want: "the manager nodes changed"},
		{name: "a manager node left", hosts: []string{"10.0.0.5"}, at: now, want: "the manager nodes changed"},
		{name: "a third of its life left", hosts: []string{"10.0.0.5", "node1"}, at: now.Add(ServerValidity * 2 / 3), want: "it expires in"},
	}
	for _, tc := range testCases {
		t.Run(tc.name, func(t *testing.T) {
			got := NeedsReissue(cert.Leaf, tc.hosts, tc.at)
			if tc.want == "" {
				assert.Check(t, is.Equal(got, ""))
			} else {
				assert.Check(t, is.Contains(got, tc.want))
			}
		})
	}
}

func TestIssuerRefreshReissuesWhenNodesChange(t *testing.T) {
	ca, _ := newTestCA(t)
	i := NewIssuer(ca)
	_, err := i.GetCertificate(nil)
	assert.ErrorContains(t, err, "no certificate yet")

	why, err := i.Refresh([]string{"10.0.0.5", "node1"}, now)
	assert.NilError(t, err)
	assert.Check(t, is.Equal(why, "no certificate yet"))
	first := i.Certificate()

	why, err = i.Refresh([]string{"node1", "10.0.0.5"}, now.Add(time.Minute))
	assert.NilError(t, err)
	assert.Check(t, is.Equal(why, ""))
	assert.Check(t, i.Certificate() == first, "kept")

	why, err = i.Refresh([]string{"10.0.0.5", "node1", "10.0.0.6", "node2"}, now.Add(2*time.Minute))
	assert.NilError(t, err)
	assert.Check(t, is.Contains(why, "changed"))
	got, err := i.GetCertificate(nil)
	assert.NilError(t, err)
	assert.Check(t, got != first)
	assert.Check(t, is.DeepEqual(Hosts(got.Leaf), []string{"10.0.0.5", "10.0.0.6", "node1", "node2"}))
}

func TestParseCertificatesRefusesKeys(t *testing.T) {
	certPEM, keyPEM, err := NewCA("a", now)
	assert.NilError(t, err)
	_, err = ParseCertificates(append(certPEM, keyPEM...))
	assert.ErrorContains(t, err, `"PRIVATE KEY" PEM block`)
	_, err = ParseCertificates([]byte("nothing"))
	assert.ErrorContains(t, err, "no PEM certificate")
}

func TestServerConfigIsTLS12OrLater(t *testing.T) {
	cfg := ServerConfig(nil)
	assert.Check(t, is.Equal(cfg.MinVersion, uint16(0x0303)))
}

// TestCheckOwn covers the CA pinned for a certificate of the user's: --tls-ca-file, the top of
// the file's chain, or refused.
func TestCheckOwn(t *testing.T) {
	ca, caPEM := newTestCA(t)
	other, otherPEM := newTestCA(t)
	leaf, err := ca.Issue([]string{"exos.example.com"}, now)
	assert.NilError(t, err)
	leafPEM := EncodeCertificates(leaf.Leaf)
	keyPEM := mustKeyPEM(t, leaf)
	otherLeaf, err := other.Issue([]string{"x"}, now)
	assert.NilError(t, err)

	t.Run("--tls-ca-file", func(t *testing.T) {
		own, err := CheckOwn(leafPEM, keyPEM, caPEM, now)
		assert.NilError(t, err)
		assert.Check(t, is.Equal(string(own.CAPEM), string(caPEM)))
		assert.Check(t, is.DeepEqual(own.Leaf.DNSNames, []string{"exos.example.com"}))
	})
	t.Run("chain in the cert file", func(t *testing.T) {
		own, err := CheckOwn(append(leafPEM, caPEM...), keyPEM, nil, now)
		assert.NilError(t, err)
		assert.Check(t, is.Equal(string(own.CAPEM), string(caPEM)))
	})
	t.Run("leaf alone", func(t *testing.T) {
		_, err := CheckOwn(leafPEM, keyPEM, nil, now)
		assert.ErrorContains(t, err, "--tls-ca-file")
	})
	t.Run("another CA", func(t *testing.T) {
		_, err := CheckOwn(leafPEM, keyPEM, otherPEM, now)
		assert.ErrorContains(t, err, "does not verify against the CA")
	})
	t.Run("another key", func(t *testing.T) {
		_, err := CheckOwn(leafPEM, mustKeyPEM(t, otherLeaf), caPEM, now)
		assert.ErrorContains(t, err, "do not go together")
	})
	t.Run("expired", func(t *testing.T) {
		_, err := CheckOwn(leafPEM, keyPEM, caPEM, now.Add(ServerValidity+time.Hour))
		assert.ErrorContains(t, err, "expired")
	})
}

func mustKeyPEM(t *testing.T, c *tls.Certificate) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(c.PrivateKey)
	assert.NilError(t, err)
	return pemBlock("PRIVATE KEY", der)
}

func TestNoKeyInAnyError(t *testing.T) {
	_, keyPEM, err := NewCA("a", now)
	assert.NilError(t, err)
	_, err = LoadCA([]byte("junk"), keyPEM)
	assert.Check(t, !strings.Contains(err.Error(), string(keyPEM[30:60])))
}
