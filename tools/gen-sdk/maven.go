package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// The fields of the schema's language.java section read here (pulumi-java's PackageInfo has more).
type javaInfo struct {
	BasePackage  string            `json:"basePackage"`
	BuildFiles   string            `json:"buildFiles"`
	Dependencies map[string]string `json:"dependencies"`
}

// mavenBuild completes the Java SDK that `pulumi package gen-sdk --language java` wrote into <out-dir>/java with
// `buildFiles: none`, so `mvn package` builds the jar unedited: a pom.xml, and the resource plugin.json. The Java SDK
// (com.pulumi:pulumi, PulumiPlugins) reads plugin.json from the classpath to tell the engine which plugin a program
// needs, at which version and from where; it is the only place the Java SDK names the download URL (a Gradle build
// of pulumi-java's own writes it at build time). That SDK reads only resources named com/<...>/<name>/plugin.json,
// so it goes under com/ followed by the base package's path, wherever the classes are.
//
// The Maven coordinates: groupId io.github.<owner> of the GitHub repository the schema names (the namespace Maven
// Central grants a GitHub account), artifactId the package's name, its version the schema's.
func mavenBuild(spec schema.PackageSpec, pkg *schema.Package, outDir string) (files, error) {
	var info javaInfo
	if raw, ok := spec.Language["java"]; ok {
		if err := json.Unmarshal(raw, &info); err != nil {
			return nil, fmt.Errorf("language.java: %w", err)
		}
	}
	if info.BasePackage == "" || info.BuildFiles != "none" {
		return nil, fmt.Errorf("language.java needs basePackage and buildFiles \"none\" (the Maven build is written here instead)")
	}
	if pkg.Version == nil {
		return nil, fmt.Errorf("the schema has no version, which the jar reports to the engine")
	}
	owner, err := githubOwner(pkg.Repository)
	if err != nil {
		return nil, err
	}
	// The generated Utilities.java reads version.txt under the base package's path, then the package's name as it is.
	resources := "java/src/main/resources/"
	packagePath := strings.ReplaceAll(strings.TrimSuffix(info.BasePackage, "."), ".", "/") + "/" + pkg.Name
	if _, err := os.Stat(filepath.Join(outDir, resources, packagePath, "version.txt")); err != nil {
		return nil, fmt.Errorf("no version.txt where the Java SDK reads it (%s): was it generated with buildFiles none? %w", packagePath, err)
	}
	pluginPath := resources + packagePath + "/plugin.json"
	if !strings.HasPrefix(packagePath, "com/") {
		pluginPath = resources + "com/" + packagePath + "/plugin.json"
	}

	plugin, err := json.MarshalIndent(map[string]any{
		"resource": true,
		"name":     pkg.Name,
		"version":  pkg.Version.String(),
		"server":   pkg.PluginDownloadURL,
	}, "", "  ")
	if err != nil {
		return nil, err
	}

	var deps []dependency
	for coordinates, version := range info.Dependencies {
		group, artifact, ok := strings.Cut(coordinates, ":")
		if !ok {
			return nil, fmt.Errorf("language.java.dependencies: %q is not groupId:artifactId", coordinates)
		}
		deps = append(deps, dependency{group, artifact, version})
	}
	sort.Slice(deps, func(i, j int) bool { return deps[i].Group+deps[i].Artifact < deps[j].Group+deps[j].Artifact })
	if len(deps) == 0 {
		return nil, fmt.Errorf("language.java.dependencies names no com.pulumi:pulumi version for the pom")
	}

	var pom bytes.Buffer
	err = pomTemplate.Execute(&pom, map[string]any{
		"Tool": tool, "Group": "io.github." + owner, "Artifact": pkg.Name, "Version": pkg.Version.String(),
		"Description": pkg.Description, "URL": pkg.Repository, "License": pkg.License, "Owner": owner,
		"Dependencies": deps, "Plugins": mavenPlugins,
	})
	if err != nil {
		return nil, err
	}
	return files{"java/pom.xml": pom.Bytes(), pluginPath: append(plugin, '\n')}, nil
}

type dependency struct{ Group, Artifact, Version string }

func githubOwner(repository string) (string, error) {
	u, err := url.Parse(repository)
	var parts []string
	if err == nil {
		parts = strings.Split(strings.Trim(u.Path, "/"), "/")
	}
	if err != nil || u.Host != "github.com" || len(parts) != 2 {
		return "", fmt.Errorf("the schema's repository must be https://github.com/<owner>/<repo> for the Maven groupId, not %q", repository)
	}
	return parts[0], nil
}

func xmlText(s string) (string, error) {
	var b strings.Builder
	err := xml.EscapeText(&b, []byte(s))
	return b.String(), err
}

// Java 11, as pulumi-java's own Gradle files; what Maven Central asks of a pom (name, description, url, license,
// scm, developers) is there, so the release can publish it as it is.
var pomTemplate = template.Must(template.New("pom").Funcs(template.FuncMap{"xml": xmlText}).Parse(
	`<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by {{.Tool}} from the package schema; do not edit by hand. -->
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>{{xml .Group}}</groupId>
  <artifactId>{{xml .Artifact}}</artifactId>
  <version>{{xml .Version}}</version>
  <packaging>jar</packaging>
  <name>{{xml .Artifact}}</name>
  <description>{{xml .Description}}</description>
  <url>{{xml .URL}}</url>
  <licenses>
    <license>
      <name>{{xml .License}}</name>
    </license>
  </licenses>
  <developers>
    <developer>
      <id>{{xml .Owner}}</id>
      <url>https://github.com/{{xml .Owner}}</url>
    </developer>
  </developers>
  <scm>
    <url>{{xml .URL}}</url>
    <connection>scm:git:{{xml .URL}}.git</connection>
  </scm>
  <properties>
    <maven.compiler.release>11</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
{{- range .Dependencies}}
    <dependency>
      <groupId>{{xml .Group}}</groupId>
      <artifactId>{{xml .Artifact}}</artifactId>
      <version>{{xml .Version}}</version>
    </dependency>
{{- end}}
  </dependencies>
  <build>
    <pluginManagement>
      <plugins>
{{- range .Plugins}}
        <plugin>
          <groupId>org.apache.maven.plugins</groupId>
          <artifactId>{{.Artifact}}</artifactId>
          <version>{{.Version}}</version>
        </plugin>
{{- end}}
      </plugins>
    </pluginManagement>
  </build>
</project>
`))

// The plugins of `mvn package source:jar`, pinned: Maven's defaults differ by Maven release, and the one older
// Mavens pick for compiling (3.1) knows no maven.compiler.release.
var mavenPlugins = []dependency{
	{Artifact: "maven-compiler-plugin", Version: "3.13.0"},
	{Artifact: "maven-resources-plugin", Version: "3.3.1"},
	{Artifact: "maven-surefire-plugin", Version: "3.5.2"},
	{Artifact: "maven-jar-plugin", Version: "3.4.2"},
	{Artifact: "maven-source-plugin", Version: "3.3.1"},
}
