package main

import (
	"fmt"
	"strings"
)

// envLocal is the only TORQUE_ENV under which the repository's development
// secrets may be used. Any other value, and an unset TORQUE_ENV, means
// production: every secret must be supplied and none may be a value that is
// published in this repository.
const envLocal = "local"

// devSecrets are secret values that appear in this repository (the local
// stack, the test harnesses, the documentation). Outside TORQUE_ENV=local they
// are refused: anyone who reads the repository knows them.
var devSecrets = map[string]bool{
	"sk_test_123":                                 true,
	"whsec_local_dev_secret":                      true,
	"whsec_e2e_secret":                            true,
	"whsec_test_secret_for_unit_tests":            true,
	"torque-local-messaging-token-key-not-secret": true,
	"local-whatsapp-app-secret":                   true,
}

// devMasterKeyMaterial are the key bytes (base64) of the repository's
// development master keys, whatever key id they are given.
var devMasterKeyMaterial = map[string]bool{
	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=": true, // deploy/local/env.sh, test harnesses
	"dG9ycXVlLWxvY2FsLWRldmVsb3BtZW50LWtleS0zMmI=": true, // the former built-in default
}

// secretVar names an environment variable holding a secret and its value.
type secretVar struct {
	name, value string
}

// checkSecrets refuses, outside the local environment, a missing or empty
// secret and any development value, naming the variable (never the value).
func checkSecrets(torqueEnv string, vars []secretVar) error {
	if torqueEnv == envLocal {
		return nil
	}
	where := "production"
	if torqueEnv != "" {
		where = fmt.Sprintf("TORQUE_ENV=%s", torqueEnv)
	}
	for _, v := range vars {
		value := strings.TrimSpace(v.value)
		if value == "" {
			return fmt.Errorf("%s is required in %s (only TORQUE_ENV=local has development defaults)", v.name, where)
		}
		if isDevSecret(v.name, value) {
			return fmt.Errorf("%s holds a development value published in the Torque repository; set a secret of your own (%s)", v.name, where)
		}
	}
	return nil
}

func isDevSecret(name, value string) bool {
	if devSecrets[value] {
		return true
	}
	if name != "TORQUE_MASTER_KEYS" {
		return false
	}
	for _, entry := range strings.Split(value, ",") {
		_, material, ok := strings.Cut(strings.TrimSpace(entry), ":")
		if !ok {
			material = entry
		}
		if devMasterKeyMaterial[strings.TrimSpace(material)] {
			return true
		}
	}
	return false
}
