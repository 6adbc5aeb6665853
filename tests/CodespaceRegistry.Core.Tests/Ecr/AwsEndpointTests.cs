using System;
using System.Collections.Generic;
using CodespaceRegistry.Ecr;
using CodespaceRegistry.Registries;
using Xunit;

namespace CodespaceRegistry.Tests.Ecr
{
    public class AwsEndpointTests
    {
        private static readonly IReadOnlyDictionary<string, string?> NoEnvironment = new Dictionary<string, string?>();

        [Theory]
        [InlineData("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "https://ecr.eu-west-1.amazonaws.com/", "eu-west-1", "https://sts.eu-west-1.amazonaws.com/")]
        [InlineData("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", "https://ecr.cn-north-1.amazonaws.com.cn/", "cn-north-1", "https://sts.cn-north-1.amazonaws.com.cn/")]
        [InlineData("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com", "https://ecr-fips.us-gov-west-1.amazonaws.com/", "us-gov-west-1", "https://sts-fips.us-gov-west-1.amazonaws.com/")]
        [InlineData("123456789012.dkr-ecr-fips.us-east-1.on.aws", "https://ecr-fips.us-east-1.api.aws/", "us-east-1", "https://sts-fips.us-east-1.api.aws/")]
        [InlineData("123456789012.dkr-ecr.us-east-2.on.aws", "https://ecr.us-east-2.api.aws/", "us-east-2", "https://sts.us-east-2.api.aws/")]
        [InlineData("123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov", "https://ecr.us-iso-east-1.c2s.ic.gov/", "us-iso-east-1", "https://sts.us-iso-east-1.c2s.ic.gov/")]
        [InlineData("public.ecr.aws", "https://api.ecr-public.us-east-1.amazonaws.com/", "us-east-1", "https://sts.us-east-1.amazonaws.com/")]
        public void ResolvesTheRegionalEndpointOfTheRegistrysPartition(string host, string ecr, string region, string sts)
        {
            var server = RegistryServer.Parse(host);
            var endpoint = AwsEndpoint.For(AwsService.Ecr, server, NoEnvironment);
            Assert.Equal(ecr, endpoint.Url.ToString());
            Assert.Equal(region, endpoint.Region);
            Assert.Equal(host == "public.ecr.aws" ? "ecr-public" : "ecr", endpoint.SigningName);
            Assert.Equal(sts, AwsEndpoint.For(AwsService.Sts, server, NoEnvironment).Url.ToString());
        }

        [Fact]
        public void HonoursTheStandardOverridesInOrder()
        {
            var server = RegistryServer.Parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com");
            var env = new Dictionary<string, string?> { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9/", ["AWS_ENDPOINT_URL_ECR"] = "http://127.0.0.1:8/" };
            Assert.Equal("http://127.0.0.1:8/", AwsEndpoint.For(AwsService.Ecr, server, env).Url.ToString());
            Assert.Equal("http://127.0.0.1:9/", AwsEndpoint.For(AwsService.Sts, server, env).Url.ToString());
            Assert.Equal("http://127.0.0.1:7/", AwsEndpoint.For(AwsService.Ecr, server, env, new Uri("http://127.0.0.1:7/")).Url.ToString());
            env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
            Assert.Equal("https://ecr.eu-west-1.amazonaws.com/", AwsEndpoint.For(AwsService.Ecr, server, env).Url.ToString());
            // The region stays the registry's: an override moves the endpoint, not the signature's scope.
            Assert.Equal("eu-west-1", AwsEndpoint.For(AwsService.Ecr, server, env, new Uri("http://127.0.0.1:7/")).Region);
        }

        [Fact]
        public void RefusesAServerThatIsNotEcrAndABadOverride()
        {
            Assert.Equal("NotAnEcrRegistry", Assert.Throws<RegistryException>(() => AwsEndpoint.For(AwsService.Ecr, RegistryServer.Parse("ghcr.io"), NoEnvironment)).ErrorId);
            var env = new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_ECR"] = "ecr.local" };
            var e = Assert.Throws<RegistryException>(() => AwsEndpoint.For(AwsService.Ecr, RegistryServer.Parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com"), env));
            Assert.Equal("InvalidAwsEndpointUrl", e.ErrorId);
        }
    }
}
