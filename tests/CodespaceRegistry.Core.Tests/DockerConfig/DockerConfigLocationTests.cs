using System.Collections.Generic;
using System.IO;
using CodespaceRegistry.DockerConfig;
using Xunit;

using CodespaceRegistry.Tests.Fixtures;

namespace CodespaceRegistry.Tests.DockerConfig
{
    public class DockerConfigLocationTests
    {
        private const string Home = "/home/octo";

        private static System.Func<string, string?> Env(params (string Name, string Value)[] variables)
        {
            var map = new Dictionary<string, string>();
            foreach (var (name, value) in variables) map[name] = value;
            return name => map.TryGetValue(name, out var v) ? v : null;
        }

        [Fact]
        public void DockerDefaultsToDotDockerInHome()
        {
            var location = DockerConfigLocation.ForDocker(null, Env(), Home);
            Assert.Equal(Path.GetFullPath("/home/octo/.docker/config.json"), location.Path);
            Assert.Equal(CredentialFileFormat.Docker, location.Format);
        }

        [Fact]
        public void DockerConfigVariableNamesTheDirectory()
        {
            Assert.Equal(Path.GetFullPath("/etc/dc/config.json"), DockerConfigLocation.ForDocker(null, Env(("DOCKER_CONFIG", "/etc/dc")), Home).Path);
        }

        [Fact]
        public void ExplicitPathWinsAndADirectoryMeansItsConfigJson()
        {
            using var temp = new TempDirectory();
            var env = Env(("DOCKER_CONFIG", "/etc/dc"));
            Assert.Equal(temp.Combine("mine.json"), DockerConfigLocation.ForDocker(temp.Combine("mine.json"), env, Home).Path);
            Assert.Equal(temp.Combine("config.json"), DockerConfigLocation.ForDocker(temp.Path, env, Home).Path);
        }

        [Fact]
        public void ContainersOrderIsAuthFileVariableThenRuntimeDirThenConfigHome()
        {
            Assert.Equal(Path.GetFullPath("/tmp/a.json"),
                DockerConfigLocation.ForContainers(null, Env(("REGISTRY_AUTH_FILE", "/tmp/a.json"), ("XDG_RUNTIME_DIR", "/run/user/1000")), Home).Path);
            Assert.Equal(Path.GetFullPath("/run/user/1000/containers/auth.json"),
                DockerConfigLocation.ForContainers(null, Env(("XDG_RUNTIME_DIR", "/run/user/1000")), Home).Path);
            Assert.Equal(Path.GetFullPath("/home/octo/.config/containers/auth.json"),
                DockerConfigLocation.ForContainers(null, Env(), Home).Path);
            var explicitPath = DockerConfigLocation.ForContainers("/x/auth.json", Env(("REGISTRY_AUTH_FILE", "/tmp/a.json")), Home);
            Assert.Equal(Path.GetFullPath("/x/auth.json"), explicitPath.Path);
            Assert.Equal(CredentialFileFormat.Containers, explicitPath.Format);
        }
    }
}
