// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC1967Utils} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Utils.sol";

/**
 * @dev Test fixtures for the executor's guards. Not for deployment.
 * - {ExecMutableTargetV1} / {ExecMutableTargetV2}: what a proposal calls, and what replaces it.
 *   They keep no constructor state, so {ExecCreate2Factory} can copy their runtime code.
 * - {ExecUpgradeableImpl}: an implementation behind an OpenZeppelin ERC1967Proxy that anyone may
 *   upgrade (the point is to change the implementation after a vote).
 * - {ExecReverter}: a target whose call reverts with a custom error once it is switched on.
 */
contract ExecMutableTargetV1 {
    event Pinged(address caller, uint256 value);

    receive() external payable {}

    function ping() external payable returns (uint256) {
        emit Pinged(msg.sender, msg.value);
        return 1;
    }

    /// @notice Removes this contract's code (before Cancun) and sends its balance to the caller.
    function destroy() external {
        selfdestruct(payable(msg.sender));
    }
}

contract ExecMutableTargetV2 {
    event Drained(address caller, uint256 value);

    receive() external payable {}

    function ping() external payable returns (uint256) {
        emit Drained(msg.sender, msg.value);
        return 2;
    }
}

contract ExecUpgradeableImpl {
    uint256 public pings;

    function ping() external payable returns (uint256) {
        return ++pings;
    }

    function version() external pure virtual returns (uint256) {
        return 1;
    }

    /// @notice Switches the proxy to `implementation`. Unrestricted on purpose.
    function upgradeTo(address implementation) external {
        ERC1967Utils.upgradeToAndCall(implementation, "");
    }
}

contract ExecUpgradeableImplV2 is ExecUpgradeableImpl {
    function version() external pure override returns (uint256) {
        return 2;
    }
}

contract ExecReverter {
    bool public broken;

    error ExecReverterBroken(uint256 code);

    receive() external payable {}

    function setBroken(bool broken_) external {
        broken = broken_;
    }

    function ping() external payable returns (uint256) {
        if (broken) revert ExecReverterBroken(42);
        return 1;
    }
}
