// Package deploy_test checks the deployment manifests in this directory:
// they parse, run the documented commands, probe the health routes, and set
// only variables Bridgework reads.
package deploy_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/bridgework/bridgework/internal/config"
)

// knownVar reports whether name is a variable Bridgework reads, allowing the
// _FILE form of secrets.
func knownVar(name string) bool {
	base, file := strings.CutSuffix(name, "_FILE")
	for _, v := range config.Vars {
		if v.Name == name || file && v.Name == base && v.Secret {
			return true
		}
	}
	return false
}

// validSecrets stand in for the secrets a manifest leaves to the operator.
var validSecrets = map[string]string{
	"BRIDGEWORK_DATABASE_URL": "postgres://bridgework:pw@postgres:5432/bridgework",
	"BRIDGEWORK_SECRET_KEY":   "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
	"BRIDGEWORK_JWT_SECRET":   "a-jwt-secret-of-at-least-32-bytes-long",
	"BRIDGEWORK_ADMIN_TOKEN":  "an-admin-token-0123456789",
}

// loads checks that a process given env (secrets replaced by valid values)
// and role loads a valid configuration.
func loads(t *testing.T, where string, env map[string]string, role string) {
	t.Helper()
	vars := map[string]string{"BRIDGEWORK_ROLE": role}
	for k, v := range env {
		if base, file := strings.CutSuffix(k, "_FILE"); file {
			k, v = base, validSecrets[base]
		} else if s, ok := validSecrets[k]; ok {
			v = s
		}
		if v != "" {
			vars[k] = v
		}
	}
	if _, err := config.Load(func(k string) (string, bool) { v, ok := vars[k]; return v, ok }); err != nil {
		t.Errorf("%s: the configuration does not load: %v", where, err)
	}
}

// roleOf returns the --role argument of a serve command, "" when it has none.
func roleOf(args []string) string {
	if i := slices.Index(args, "--role"); i >= 0 && i+1 < len(args) {
		return args[i+1]
	}
	return ""
}

type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		Secrets     []string          `yaml:"secrets"`
		Volumes     []string          `yaml:"volumes"`
		Healthcheck struct {
			Test    []string `yaml:"test"`
			Disable bool     `yaml:"disable"`
		} `yaml:"healthcheck"`
		DependsOn map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
	} `yaml:"services"`
	Secrets map[string]struct {
		File string `yaml:"file"`
	} `yaml:"secrets"`
	Volumes map[string]any `yaml:"volumes"`
}

func TestComposeFile(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	// Interpolate ${VAR:-default} as Compose does with VAR unset.
	raw = regexp.MustCompile(`\$\{[A-Z_]+:-([^}]*)\}`).ReplaceAll(raw, []byte("$1"))
	var f composeFile
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	pg, ok := f.Services["postgres"]
	if !ok || len(pg.Volumes) == 0 || !strings.Contains(strings.Join(pg.Healthcheck.Test, " "), "pg_isready") {
		t.Fatalf("postgres needs a volume and a pg_isready healthcheck: %+v", pg)
	}
	roles := map[string]int{}
	for name, s := range f.Services {
		if name == "postgres" {
			continue
		}
		if !strings.Contains(s.Image, "bridgework") {
			t.Errorf("%s: image %q is not Bridgework's", name, s.Image)
		}
		for k, v := range s.Environment {
			if !knownVar(k) {
				t.Errorf("%s: environment variable %s is not one Bridgework reads", name, k)
			}
			if secret, ok := strings.CutPrefix(v, "/run/secrets/"); ok {
				if _, declared := f.Secrets[secret]; !declared || !slices.Contains(s.Secrets, secret) {
					t.Errorf("%s: %s reads secret %s, which is not declared and granted", name, k, secret)
				}
			}
		}
		if len(s.Command) == 1 && s.Command[0] == "migrate" {
			if s.DependsOn["postgres"].Condition != "service_healthy" {
				t.Errorf("migrate must wait for a healthy postgres: %+v", s.DependsOn)
			}
			loads(t, name, s.Environment, config.RoleAll)
			continue
		}
		role := roleOf(s.Command)
		roles[role]++
		if s.Command[0] != "serve" || role == "" {
			t.Errorf("%s: command %v, want serve --role api|worker", name, s.Command)
		}
		if !strings.Contains(strings.Join(s.Healthcheck.Test, " "), "/readyz") {
			t.Errorf("%s: healthcheck %v does not probe /readyz", name, s.Healthcheck.Test)
		}
		if s.DependsOn["migrate"].Condition != "service_completed_successfully" {
			t.Errorf("%s: must start after the migrations completed: %+v", name, s.DependsOn)
		}
		loads(t, name, s.Environment, role)
	}
	if roles[config.RoleAPI] != 1 || roles[config.RoleWorker] != 2 {
		t.Errorf("processes by role %v, want one api and two workers", roles)
	}
	for name, s := range f.Secrets {
		if !strings.HasPrefix(s.File, "./secrets/") {
			t.Errorf("secret %s is read from %q, want a file under ./secrets/", name, s.File)
		}
	}
}

// TestComposeConfig asks Docker Compose itself, where it is installed.
func TestComposeConfig(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("docker"); err != nil {
		t.Skip("docker is not installed")
	}
	if err := exec.Command("docker", "compose", "version").Run(); err != nil {
		t.Skip("docker compose is not available")
	}
	out, err := exec.Command("docker", "compose", "-f", "docker-compose.yml", "config", "--quiet").CombinedOutput()
	if err != nil {
		t.Fatalf("docker compose config: %v\n%s", err, out)
	}
}

// object is one Kubernetes manifest, decoded loosely.
type object struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Data       map[string]string `yaml:"data"`
	StringData map[string]string `yaml:"stringData"`
	Spec       struct {
		Selector struct {
			MatchLabels map[string]string `yaml:"matchLabels"`
		} `yaml:"selector"`
		Template struct {
			Metadata struct {
				Labels map[string]string `yaml:"labels"`
			} `yaml:"metadata"`
			Spec struct {
				Containers []container `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
		Ports []struct {
			TargetPort string `yaml:"targetPort"`
		} `yaml:"ports"`
	} `yaml:"spec"`
	// ServiceSelector is a Service's spec.selector, decoded separately.
	ServiceSelector map[string]string `yaml:"-"`
}

type container struct {
	Image string   `yaml:"image"`
	Args  []string `yaml:"args"`
	Ports []struct {
		Name string `yaml:"name"`
	} `yaml:"ports"`
	Env []struct {
		Name  string `yaml:"name"`
		Value string `yaml:"value"`
	} `yaml:"env"`
	EnvFrom []struct {
		ConfigMapRef *struct{ Name string } `yaml:"configMapRef"`
		SecretRef    *struct{ Name string } `yaml:"secretRef"`
	} `yaml:"envFrom"`
	ReadinessProbe *probe `yaml:"readinessProbe"`
	LivenessProbe  *probe `yaml:"livenessProbe"`
}

type probe struct {
	HTTPGet struct {
		Path string `yaml:"path"`
		Port string `yaml:"port"`
	} `yaml:"httpGet"`
}

// readManifests decodes every document of every YAML file in dir.
func readManifests(t *testing.T, dir string) (objects []object, files []string) {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, filepath.Base(path))
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		for {
			var node yaml.Node
			if err := dec.Decode(&node); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			var o object
			if err := node.Decode(&o); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if o.Kind == "Service" {
				var svc struct {
					Spec struct {
						Selector map[string]string `yaml:"selector"`
					} `yaml:"spec"`
				}
				node.Decode(&svc)
				o.ServiceSelector = svc.Spec.Selector
			}
			objects = append(objects, o)
		}
	}
	return objects, files
}

func TestKubernetesManifests(t *testing.T) {
	t.Parallel()
	objects, files := readManifests(t, "kubernetes")
	byKind := map[string][]object{}
	for _, o := range objects {
		byKind[o.Kind] = append(byKind[o.Kind], o)
	}
	shared := map[string]map[string]string{} // "ConfigMap/name" or "Secret/name" → variables
	for _, kind := range []string{"ConfigMap", "Secret"} {
		for _, o := range byKind[kind] {
			vars := o.Data
			if kind == "Secret" {
				vars = o.StringData
			}
			for k := range vars {
				if !knownVar(k) {
					t.Errorf("%s %s: %s is not a variable Bridgework reads", kind, o.Metadata.Name, k)
				}
			}
			shared[kind+"/"+o.Metadata.Name] = vars
		}
	}
	image := ""
	envOf := func(where string, c container) map[string]string {
		env := map[string]string{}
		for _, from := range c.EnvFrom {
			ref := ""
			switch {
			case from.ConfigMapRef != nil:
				ref = "ConfigMap/" + from.ConfigMapRef.Name
			case from.SecretRef != nil:
				ref = "Secret/" + from.SecretRef.Name
			}
			vars, ok := shared[ref]
			if !ok {
				t.Errorf("%s: envFrom %s is not defined", where, ref)
			}
			for k, v := range vars {
				env[k] = v
			}
		}
		for _, e := range c.Env {
			if !knownVar(e.Name) {
				t.Errorf("%s: env %s is not a variable Bridgework reads", where, e.Name)
			}
			env[e.Name] = e.Value
		}
		if image == "" {
			image = c.Image
		}
		if c.Image == "" || c.Image != image {
			t.Errorf("%s: image %q, want every container on the same Bridgework image %q", where, c.Image, image)
		}
		return env
	}

	roles := map[string]object{}
	for _, d := range byKind["Deployment"] {
		where := "Deployment " + d.Metadata.Name
		cs := d.Spec.Template.Spec.Containers
		if len(cs) != 1 {
			t.Fatalf("%s: %d containers, want 1", where, len(cs))
		}
		c := cs[0]
		role := roleOf(c.Args)
		if len(c.Args) == 0 || c.Args[0] != "serve" || role == "" {
			t.Errorf("%s: args %v, want serve --role api|worker", where, c.Args)
		}
		roles[role] = d
		for label, v := range d.Spec.Selector.MatchLabels {
			if d.Spec.Template.Metadata.Labels[label] != v {
				t.Errorf("%s: the selector's %s=%s does not match the pod labels", where, label, v)
			}
		}
		ports := map[string]bool{}
		for _, p := range c.Ports {
			ports[p.Name] = true
		}
		for _, p := range []struct {
			name  string
			probe *probe
			path  string
		}{{"readiness", c.ReadinessProbe, "/readyz"}, {"liveness", c.LivenessProbe, "/healthz"}} {
			if p.probe == nil || p.probe.HTTPGet.Path != p.path || !ports[p.probe.HTTPGet.Port] {
				t.Errorf("%s: %s probe %+v, want GET %s on a declared port", where, p.name, p.probe, p.path)
			}
		}
		loads(t, where, envOf(where, c), role)
	}
	if _, ok := roles[config.RoleAPI]; !ok {
		t.Error("no Deployment runs serve --role api")
	}
	if _, ok := roles[config.RoleWorker]; !ok {
		t.Error("no Deployment runs serve --role worker")
	}

	jobs := byKind["Job"]
	if len(jobs) != 1 || len(jobs[0].Spec.Template.Spec.Containers) != 1 || !slices.Equal(jobs[0].Spec.Template.Spec.Containers[0].Args, []string{"migrate"}) {
		t.Fatalf("want one Job running bridgework migrate, got %+v", jobs)
	}
	loads(t, "Job", envOf("Job", jobs[0].Spec.Template.Spec.Containers[0]), config.RoleAll)

	services := byKind["Service"]
	if len(services) != 1 {
		t.Fatalf("want one Service, got %d", len(services))
	}
	api := roles[config.RoleAPI]
	for label, v := range services[0].ServiceSelector {
		if api.Spec.Template.Metadata.Labels[label] != v {
			t.Errorf("the Service selects %s=%s, which the api pods do not carry", label, v)
		}
	}
	if len(services[0].ServiceSelector) == 0 || len(services[0].Spec.Ports) == 0 || services[0].Spec.Ports[0].TargetPort != "http" {
		t.Errorf("the Service must select the api pods and target their http port: %+v", services[0])
	}

	raw, err := os.ReadFile(filepath.Join("kubernetes", "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var k struct {
		Resources []string `yaml:"resources"`
	}
	if err := yaml.Unmarshal(raw, &k); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f != "kustomization.yaml" && !slices.Contains(k.Resources, f) {
			t.Errorf("kustomization.yaml does not list %s", f)
		}
	}
}
