using Xunit;

namespace CodespaceRegistry.ContractTests
{
    /// <summary>The binding model against behaviour read from PowerShell's engine: if it is wrong, the pipeline contracts prove nothing.</summary>
    public class PipelineBindingTests
    {
        private static PipelineBinding Bind(string cmdlet, System.Type input, params string[] named) =>
            PipelineBinding.Bind(CmdletMetadata.Cmdlet(cmdlet), input, named);

        [Fact]
        public void AnObjectWhoseServerPropertyIsNotAStringIsBoundAsText()
        {
            // RegistryLoginResult.Server is a RegistryServer: the second pass (by property name, no coercion) cannot
            // bind it to a string, so the third pass binds the whole result, as text, to -Server by value.
            var binding = Bind("Get-RegistryServer", CmdletMetadata.CoreType("CodespaceRegistry.Access.RegistryLoginResult"));
            Assert.Equal(new[] { "Server" }, binding.Bound);
            Assert.Equal(PipelineBinding.Pass.ValueWithCoercion, binding.Passes["Server"]);
        }

        [Fact]
        public void APropertyThatMayBeNullFailsAParameterThatRefusesNull()
        {
            // RegistrySecretSet.Server is null for a set whose SERVER does not parse: the second pass binds that null to
            // the mandatory -Server, and validation fails the object.
            var binding = Bind("Get-RegistryServer", CmdletMetadata.CoreType("CodespaceRegistry.Secrets.RegistrySecretSet"));
            Assert.Contains("may be null", binding.Error);
        }

        [Fact]
        public void WhatNoParameterTakesIsRefused() =>
            Assert.NotNull(Bind("Get-RegistrySecretSet", CmdletMetadata.CoreType("CodespaceRegistry.Registries.RegistryServer")).Error);

        [Fact]
        public void TheDefaultSetIsTakenAsSoonAsAPipedParameterLeavesItAmongSeveral()
        {
            // -Image is in the Image and SecretSet sets; once it binds from Reference, the default set (Image) is taken.
            var binding = Bind("Test-RegistryAccess", CmdletMetadata.CoreType("CodespaceRegistry.Devcontainer.RegistryReference"));
            Assert.Null(binding.Error);
            Assert.Equal("Image", binding.ParameterSet);
        }

        [Fact]
        public void NamedParametersDropTheSetsThatTakeNoMorePipelineInput()
        {
            // -Image on the command line leaves Image and SecretSet; the Image set has no unbound pipeline parameter left.
            var binding = Bind("Test-RegistryAccess", CmdletMetadata.CoreType("CodespaceRegistry.Secrets.RegistrySecretSet"), "Image");
            Assert.Null(binding.Error);
            Assert.Equal("SecretSet", binding.ParameterSet);
        }

        [Fact]
        public void NamedParametersOfDifferentSetsAreAmbiguous() =>
            Assert.Contains("AmbiguousParameterSet",
                Bind("Get-RegistrySecretSet", CmdletMetadata.CoreType("CodespaceRegistry.Registries.RegistryServer"), "Organization", "AsPlainText").Error);

        [Fact]
        public void AFolderFromGetItemBindsPathThroughFullName()
        {
            var folder = CmdletMetadata.Context.LoadFromAssemblyName("System.Private.CoreLib").GetType("System.IO.DirectoryInfo", throwOnError: true)!;
            var binding = Bind("Find-RegistryReference", folder);
            Assert.Null(binding.Error);
            Assert.Equal(PipelineBinding.Pass.PropertyNoCoercion, binding.Passes["Path"]);
        }

        [Fact]
        public void AStringBindsByValue()
        {
            var text = CmdletMetadata.Context.LoadFromAssemblyName("System.Private.CoreLib").GetType("System.String", throwOnError: true)!;
            var binding = Bind("Get-RegistryServer", text);
            Assert.Null(binding.Error);
            Assert.Equal(PipelineBinding.Pass.ValueNoCoercion, binding.Passes["Server"]);
        }
    }
}
