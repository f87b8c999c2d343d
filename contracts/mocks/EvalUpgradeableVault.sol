// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts/proxy/utils/UUPSUpgradeable.sol";

/**
 * @dev Evaluation fixture for the analyst: a UUPS vault behind an ERC1967Proxy, owned by the DAO's
 * timelock. Only the owner can upgrade it. Not for deployment.
 */
contract EvalUpgradeableVault is Initializable, UUPSUpgradeable {
    address public owner;

    error EvalVaultUnauthorized(address caller);

    constructor() {
        _disableInitializers();
    }

    /// @notice Sets the vault's owner (called through the proxy at deployment).
    function initialize(address owner_) external initializer {
        owner = owner_;
    }

    receive() external payable {}

    function _authorizeUpgrade(address) internal view override {
        if (msg.sender != owner) revert EvalVaultUnauthorized(msg.sender);
    }
}
