ARG BASE_TAG=18
FROM mcr.microsoft.com/devcontainers/javascript-node:${BASE_TAG}
