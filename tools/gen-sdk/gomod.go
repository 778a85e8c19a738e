package main

import (
	"fmt"
	"path"
	"runtime/debug"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const pulumiGoSDK = "github.com/pulumi/pulumi/sdk/v3"

// goModule writes <out-dir>/go.mod: the Go SDK's module is the whole SDK folder, as in Pulumi's own providers (module
// `<repository>/sdk`, tagged `sdk/vX.Y.Z`), so `go get <repository>/sdk` works from the repository. The generator
// writes no go.mod in that layout. It requires the Pulumi Go SDK of the release this program's generators come from;
// scripts/gen-sdk.sh completes the file and writes go.sum with `go mod tidy`.
func goModule(_ schema.PackageSpec, pkg *schema.Package, _ string) (files, error) {
	if err := pkg.ImportLanguages(map[string]schema.Language{"go": gogen.Importer}); err != nil {
		return nil, err
	}
	info, _ := pkg.Language["go"].(gogen.GoPackageInfo)
	// <module>/go/<package>
	module := path.Dir(path.Dir(info.ImportBasePath))
	if info.ImportBasePath == "" || path.Base(path.Dir(info.ImportBasePath)) != "go" {
		return nil, fmt.Errorf("language.go.importBasePath must be <module>/go/<package>, not %q", info.ImportBasePath)
	}
	version, err := ownDependency(pulumiGoSDK)
	if err != nil {
		return nil, err
	}
	// A go directive of at least 1.17 (a pruned module graph, which the Pulumi Go SDK's needs); `go mod tidy` raises it
	// to the one that SDK names.
	text := fmt.Sprintf("module %s\n\ngo 1.21\n\nrequire %s %s\n", module, pulumiGoSDK, version)
	return files{"go.mod": []byte(text)}, nil
}

// ownDependency is the version of a module this program was built with.
func ownDependency(module string) (string, error) {
	build, ok := debug.ReadBuildInfo()
	if ok {
		for _, dep := range build.Deps {
			if dep.Path == module {
				return dep.Version, nil
			}
		}
	}
	return "", fmt.Errorf("this build of gen-sdk names no version of %s", module)
}
