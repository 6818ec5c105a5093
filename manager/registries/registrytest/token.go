package registrytest

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/exos-platform/exos/manager/tlsconf"
	"gotest.tools/v3/assert"
)

// The token server's names, which the registry checks in every token.
const (
	tokenService = "exos-test-registry"
	tokenIssuer  = "exos-test-token-server"
	tokenLife    = 5 * time.Minute
)

// tokenServer is a registry's authorization server, as Harbor, GitLab and Docker Hub run
// one (Docker's token authentication): it checks the password once per token and signs a
// token that the registry verifies by its signature on every request, where htpasswd
// auth checks a bcrypt hash every time.
type tokenServer struct {
	password string
	signer   *ecdsa.PrivateKey
	// keyID names the signer's key in the registry's trusted keys, which are the keys
	// of the certificates in its bundle, as Harbor's token service names its key.
	keyID string
	srv   *httptest.Server
}

// startTokenServer serves tokens over TLS on host, signed by the key of its certificate,
// which ca issues; it stops when the test ends.
func startTokenServer(t testing.TB, ca *tlsconf.CA, host, password string) *tokenServer {
	t.Helper()
	leaf, err := ca.Issue([]string{host}, time.Now())
	assert.NilError(t, err)
	signer := leaf.PrivateKey.(*ecdsa.PrivateKey)
	keyID, err := libtrustKeyID(&signer.PublicKey)
	assert.NilError(t, err)
	ts := &tokenServer{password: password, signer: signer, keyID: keyID}
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	assert.NilError(t, err)
	ts.srv = httptest.NewUnstartedServer(http.HandlerFunc(ts.serveToken))
	ts.srv.Listener = l
	ts.srv.TLS = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{*leaf}}
	// A client that gives up on a connection is no failure of the server's.
	ts.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.srv.StartTLS()
	t.Cleanup(ts.srv.Close)
	return ts
}

// realm is where the registry sends clients for a token.
func (ts *tokenServer) realm() string { return ts.srv.URL + "/token" }

// authConfig is the registry's auth: block for this server, whose certificate (the
// signer's) is in bundle.
func (ts *tokenServer) authConfig(bundle string) string {
	return fmt.Sprintf("  token: {realm: %q, service: %s, issuer: %s, rootcertbundle: %s}\n",
		ts.realm(), tokenService, tokenIssuer, bundle)
}

// certificate is the PEM of the server's certificate.
func (ts *tokenServer) certificate() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.srv.TLS.Certificates[0].Certificate[0]})
}

func (ts *tokenServer) serveToken(w http.ResponseWriter, r *http.Request) {
	user, password, ok := r.BasicAuth()
	if !ok || user != User || subtle.ConstantTimeCompare([]byte(password), []byte(ts.password)) != 1 {
		w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
		http.Error(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`, http.StatusUnauthorized)
		return
	}
	now := time.Now()
	token, err := ts.sign(claims{Issuer: tokenIssuer, Subject: user, Audience: tokenService,
		Expiration: now.Add(tokenLife).Unix(), NotBefore: now.Add(-time.Minute).Unix(), IssuedAt: now.Unix(),
		JWTID: randomID(), Access: grants(r.URL.Query()["scope"])})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"token": token, "access_token": token,
		"expires_in": int(tokenLife.Seconds()), "issued_at": now.UTC().Format(time.RFC3339)})
}

// claims are a registry token's: who, for which registry, until when, and what it may do.
type claims struct {
	Issuer     string   `json:"iss"`
	Subject    string   `json:"sub"`
	Audience   string   `json:"aud"`
	Expiration int64    `json:"exp"`
	NotBefore  int64    `json:"nbf"`
	IssuedAt   int64    `json:"iat"`
	JWTID      string   `json:"jti"`
	Access     []access `json:"access"`
}

type access struct {
	Type    string   `json:"type"`
	Name    string   `json:"name"`
	Actions []string `json:"actions"`
}

// grants is every scope asked for (type:name:actions, as "repository:app:pull,push" or
// "registry:catalog:*"): the test's one user may do everything.
func grants(scopes []string) []access {
	out := []access{}
	for _, scope := range scopes {
		first, last := strings.Index(scope, ":"), strings.LastIndex(scope, ":")
		if first < 0 || first == last {
			continue
		}
		out = append(out, access{Type: scope[:first], Name: scope[first+1 : last], Actions: strings.Split(scope[last+1:], ",")})
	}
	return out
}

// sign makes a compact JWS (ES256) of c whose header names the signer's key.
func (ts *tokenServer) sign(c claims) (string, error) {
	header, err := json.Marshal(map[string]any{"typ": "JWT", "alg": "ES256", "kid": ts.keyID})
	if err != nil {
		return "", err
	}
	body, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	signed := enc.EncodeToString(header) + "." + enc.EncodeToString(body)
	sum := sha256.Sum256([]byte(signed))
	r, s, err := ecdsa.Sign(rand.Reader, ts.signer, sum[:])
	if err != nil {
		return "", err
	}
	// JWS's ES256 signature is r and s, 32 bytes each.
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return signed + "." + enc.EncodeToString(sig), nil
}

func randomID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// libtrustKeyID is how the registry names a trusted key (libtrust's fingerprint): the
// SHA-256 of its DER, cut to 240 bits, in base32, in groups of four joined by ':'.
func libtrustKeyID(key *ecdsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(der)
	s := strings.TrimRight(base32.StdEncoding.EncodeToString(sum[:30]), "=")
	groups := make([]string, 0, len(s)/4)
	for i := 0; i < len(s); i += 4 {
		groups = append(groups, s[i:min(i+4, len(s))])
	}
	return strings.Join(groups, ":"), nil
}
